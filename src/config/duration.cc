// ParseDurationSeconds: Vault's duration syntax (Go's time.ParseDuration
// plus whole seconds and a "d" unit), truncated to whole seconds.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>
#include <system_error>

#include "config/server_config.h"
#include "hcl/ast.h"

namespace coffer::config {

namespace {

constexpr uint64_t kNanosPerSecond = 1'000'000'000;
constexpr uint64_t kMaxSeconds = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// UnitNanos returns the length of `unit` in nanoseconds, or 0 if unknown.
uint64_t UnitNanos(std::string_view unit) {
  if (unit == "ns") {
    return 1;
  }
  // "us", and micro spelled with U+00B5 (micro sign) or U+03BC (Greek mu), as Go accepts.
  if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") {
    return 1'000;
  }
  if (unit == "ms") {
    return 1'000'000;
  }
  if (unit == "s") {
    return kNanosPerSecond;
  }
  if (unit == "m") {
    return 60 * kNanosPerSecond;
  }
  if (unit == "h") {
    return 3600 * kNanosPerSecond;
  }
  if (unit == "d") {
    return 86400 * kNanosPerSecond;
  }
  return 0;
}

// Total accumulates a duration as whole seconds plus leftover nanoseconds,
// failing rather than overflowing int64 seconds.
class Total {
 public:
  bool AddSeconds(uint64_t s) {
    if (s > kMaxSeconds - seconds_) {
      return false;
    }
    seconds_ += s;
    return true;
  }

  bool AddNanos(uint64_t ns) {
    nanos_ += ns % kNanosPerSecond;
    uint64_t carry = ns / kNanosPerSecond + nanos_ / kNanosPerSecond;
    nanos_ %= kNanosPerSecond;
    return AddSeconds(carry);
  }

  // Add adds `count` units of `unit_ns` nanoseconds each.
  bool Add(uint64_t count, uint64_t unit_ns) {
    if (unit_ns >= kNanosPerSecond) {
      uint64_t per = unit_ns / kNanosPerSecond;  // exact: s, m, h, d
      if (count != 0 && per > kMaxSeconds / count) {
        return false;
      }
      return AddSeconds(count * per);
    }
    uint64_t per_second = kNanosPerSecond / unit_ns;  // exact: ns, us, ms
    return AddSeconds(count / per_second) && AddNanos((count % per_second) * unit_ns);
  }

  // AddFraction adds `digits` (a decimal fraction, digits after the point)
  // of a unit. Precision beyond a nanosecond does not matter here.
  bool AddFraction(std::string_view digits, uint64_t unit_ns) {
    long double fraction = 0;
    long double scale = 1;
    for (size_t i = 0; i < digits.size() && i < 18; ++i) {
      fraction = fraction * 10 + (digits[i] - '0');
      scale *= 10;
    }
    long double ns = std::floor(fraction / scale * static_cast<long double>(unit_ns));
    uint64_t whole_seconds = static_cast<uint64_t>(ns / kNanosPerSecond);
    uint64_t rest = static_cast<uint64_t>(ns - static_cast<long double>(whole_seconds) * kNanosPerSecond);
    return AddSeconds(whole_seconds) && AddNanos(rest);
  }

  int64_t seconds() const { return static_cast<int64_t>(seconds_); }

 private:
  uint64_t seconds_ = 0;
  uint64_t nanos_ = 0;
};

Status Invalid(std::string_view text, std::string_view why) {
  return Status::InvalidArgument("invalid duration " + hcl::Quote(text) + ": " + std::string(why));
}

}  // namespace

Result<int64_t> ParseDurationSeconds(const std::string& text) {
  std::string_view s = text;
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  if (s.empty()) {
    return Invalid(text, "empty; use e.g. \"30m\", \"768h\" or a number of seconds");
  }
  if (s.front() == '-') {
    return Invalid(text, "durations must not be negative");
  }
  if (s.front() == '+') {
    s.remove_prefix(1);
  }

  // A bare integer is a number of seconds.
  size_t digits = 0;
  while (digits < s.size() && IsDigit(s[digits])) {
    ++digits;
  }
  if (digits == s.size()) {
    int64_t seconds = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), seconds);
    if (ec != std::errc() || ptr != s.data() + s.size()) {
      return Invalid(text, "out of range");
    }
    return seconds;
  }

  Total total;
  while (!s.empty()) {
    size_t i = 0;
    while (i < s.size() && IsDigit(s[i])) {
      ++i;
    }
    std::string_view whole = s.substr(0, i);
    std::string_view fraction;
    if (i < s.size() && s[i] == '.') {
      size_t start = ++i;
      while (i < s.size() && IsDigit(s[i])) {
        ++i;
      }
      fraction = s.substr(start, i - start);
    }
    if (whole.empty() && fraction.empty()) {
      return Invalid(text, "expected a number before each unit, as in \"1h30m\"");
    }
    size_t unit_start = i;
    while (i < s.size() && !IsDigit(s[i]) && s[i] != '.') {
      ++i;
    }
    std::string_view unit = s.substr(unit_start, i - unit_start);
    if (unit.empty()) {
      return Invalid(text, "missing unit after a number (ns, us, ms, s, m, h, d)");
    }
    uint64_t unit_ns = UnitNanos(unit);
    if (unit_ns == 0) {
      return Invalid(text, "unknown unit " + hcl::Quote(unit) + " (use ns, us, ms, s, m, h, d)");
    }
    uint64_t count = 0;
    if (!whole.empty()) {
      auto [ptr, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), count);
      if (ec != std::errc()) {
        return Invalid(text, "out of range");
      }
    }
    if (!total.Add(count, unit_ns) || !total.AddFraction(fraction, unit_ns)) {
      return Invalid(text, "out of range");
    }
    s.remove_prefix(i);
  }
  return total.seconds();
}

}  // namespace coffer::config
