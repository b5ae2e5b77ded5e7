#include "base/time_format.h"

#include <cstdio>
#include <ctime>

namespace coffer {

namespace {

constexpr int64_t kNanosPerSecond = 1'000'000'000;

}  // namespace

int64_t UnixNanos(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

std::string FormatRfc3339Nano(int64_t unix_nanos) {
  // Floor division, so times before 1970 keep a positive fraction.
  int64_t seconds = unix_nanos / kNanosPerSecond;
  int64_t nanos = unix_nanos % kNanosPerSecond;
  if (nanos < 0) {
    nanos += kNanosPerSecond;
    seconds -= 1;
  }
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char date[32];
  std::strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out(date);
  if (nanos != 0) {
    char fraction[16];
    std::snprintf(fraction, sizeof(fraction), ".%09lld", static_cast<long long>(nanos));
    std::string digits(fraction);
    while (digits.back() == '0') {
      digits.pop_back();
    }
    out += digits;
  }
  out += 'Z';
  return out;
}

}  // namespace coffer
