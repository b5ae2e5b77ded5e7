#include "core/framework/time_format.h"

#include <cstdio>
#include <ctime>

namespace coffer::core::framework {

std::string FormatGoDuration(int64_t seconds) {
  if (seconds == 0) {
    return "0s";
  }
  std::string sign;
  uint64_t s = static_cast<uint64_t>(seconds);
  if (seconds < 0) {
    sign = "-";
    s = ~s + 1;  // magnitude, well defined even for INT64_MIN
  }
  uint64_t hours = s / 3600;
  uint64_t minutes = (s % 3600) / 60;
  uint64_t secs = s % 60;
  if (hours > 0) {
    return sign + std::to_string(hours) + "h" + std::to_string(minutes) + "m" +
           std::to_string(secs) + "s";
  }
  if (minutes > 0) {
    return sign + std::to_string(minutes) + "m" + std::to_string(secs) + "s";
  }
  return sign + std::to_string(secs) + "s";
}

}  // namespace coffer::core::framework
