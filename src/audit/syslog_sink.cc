#include "audit/syslog_sink.h"

#include <syslog.h>

#include <cctype>
#include <mutex>
#include <set>
#include <utility>

#include "audit/options.h"

namespace coffer::audit {

namespace {

struct FacilityName {
  const char* name;
  int value;
};

constexpr FacilityName kFacilities[] = {
    {"KERN", LOG_KERN},     {"USER", LOG_USER},     {"MAIL", LOG_MAIL},
    {"DAEMON", LOG_DAEMON}, {"AUTH", LOG_AUTH},     {"SYSLOG", LOG_SYSLOG},
    {"LPR", LOG_LPR},       {"NEWS", LOG_NEWS},     {"UUCP", LOG_UUCP},
    {"CRON", LOG_CRON},     {"AUTHPRIV", LOG_AUTHPRIV}, {"FTP", LOG_FTP},
    {"LOCAL0", LOG_LOCAL0}, {"LOCAL1", LOG_LOCAL1}, {"LOCAL2", LOG_LOCAL2},
    {"LOCAL3", LOG_LOCAL3}, {"LOCAL4", LOG_LOCAL4}, {"LOCAL5", LOG_LOCAL5},
    {"LOCAL6", LOG_LOCAL6}, {"LOCAL7", LOG_LOCAL7},
};

// OpenLog calls openlog(3) with `tag`. openlog keeps the pointer, so every
// tag ever used is kept in a set that is never freed (a handful of strings)
// and a syslog(3) call on another thread never reads a freed tag.
void OpenLog(const std::string& tag) {
  static std::mutex mu;
  static auto* tags = new std::set<std::string>();  // intentionally leaked
  std::lock_guard<std::mutex> lock(mu);
  const std::string& kept = *tags->insert(tag).first;
  ::openlog(kept.c_str(), LOG_NDELAY | LOG_PID, LOG_AUTH);
}

}  // namespace

Result<std::unique_ptr<Sink>> SyslogSink::Create(
    const std::map<std::string, std::string>& options) {
  const std::string facility = OptionString(options, "facility", "AUTH");
  std::string upper;
  for (char c : facility) {
    upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  for (const FacilityName& f : kFacilities) {
    if (upper == f.name) {
      return std::unique_ptr<Sink>(
          std::make_unique<SyslogSink>(f.value, OptionString(options, "tag", "coffer")));
    }
  }
  return Status::InvalidArgument("audit option \"facility\": invalid value \"" + facility +
                                 "\" (want a syslog facility such as AUTH or LOCAL0)");
}

SyslogSink::SyslogSink(int facility, std::string tag) : facility_(facility), tag_(std::move(tag)) {}

Status SyslogSink::Open() {
  OpenLog(tag_);
  return Status::Ok();
}

Status SyslogSink::Reopen() { return Open(); }

Status SyslogSink::Write(std::string_view lines) {
  std::string message;
  while (!lines.empty()) {
    const size_t nl = lines.find('\n');
    const std::string_view line = lines.substr(0, nl);
    lines.remove_prefix(nl == std::string_view::npos ? lines.size() : nl + 1);
    if (line.empty()) {
      continue;
    }
    message.assign(line);
    // Facility values are already shifted (LOG_AUTH == 4 << 3).
    ::syslog(facility_ | LOG_INFO, "%s", message.c_str());
  }
  return Status::Ok();
}

}  // namespace coffer::audit
