// audit::SyslogSink: the "syslog" audit device's destination, through the
// C library's syslog(3).
//
// Options (Vault's names):
//   facility  default "AUTH"; one of KERN USER MAIL DAEMON AUTH SYSLOG LPR
//             NEWS UUCP CRON AUTHPRIV FTP LOCAL0..LOCAL7, any case.
//   tag       default "coffer"; the program name in each message.
//
// Each line of a Write is one message at priority INFO, without its '\n'.
// The facility is set per message, so devices with different facilities
// coexist. The tag is process-wide in syslog(3) (openlog): the tag of the
// syslog device opened last applies to all syslog devices. syslog(3)
// reports no failure, so Write always returns OK; LastLine is nullopt.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "audit/sink.h"
#include "base/status.h"

namespace coffer::audit {

class SyslogSink final : public Sink {
 public:
  // Create checks `options` (other keys are ignored); it opens nothing.
  static Result<std::unique_ptr<Sink>> Create(const std::map<std::string, std::string>& options);

  // `facility` is a LOG_* facility value from <syslog.h>.
  SyslogSink(int facility, std::string tag);

  // Open calls openlog with this device's tag (see above).
  Status Open() override;
  Status Write(std::string_view lines) override;
  Status Reopen() override;

 private:
  const int facility_;
  const std::string tag_;
};

}  // namespace coffer::audit
