// CreateSink: the audit device types, by name. A new sink type is one
// header/source pair and one row in kFactories. (A table rather than
// self-registering static objects: those are dropped by the linker when
// nothing references their object file in the static coffer_audit.)
#include "audit/file_sink.h"
#include "audit/sink.h"
#include "audit/socket_sink.h"
#include "audit/syslog_sink.h"

namespace coffer::audit {

namespace {

using Options = std::map<std::string, std::string>;

struct SinkFactory {
  const char* type;
  Result<std::unique_ptr<Sink>> (*create)(const Options& options);
};

constexpr SinkFactory kFactories[] = {
    {"file", &FileSink::Create},
    {"syslog", &SyslogSink::Create},
    {"socket", &SocketSink::Create},
};

}  // namespace

Result<std::unique_ptr<Sink>> CreateSink(const std::string& type, const Options& options) {
  for (const SinkFactory& factory : kFactories) {
    if (type == factory.type) {
      return factory.create(options);
    }
  }
  return Status::InvalidArgument("unknown audit device type \"" + type + "\"");
}

}  // namespace coffer::audit
