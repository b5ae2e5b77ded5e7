#include "core/framework/weak_decode.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <string_view>
#include <system_error>

#include "config/server_config.h"

namespace coffer::core::framework {

namespace {

using nlohmann::json;

// Beyond 2^63 a double no longer names an int64; the bound is exact in double.
constexpr double kInt64Bound = 9223372036854775808.0;

Status CannotParse(const json& raw, std::string_view as) {
  return Status::InvalidArgument("cannot parse '" + DescribeValue(raw) + "' as " +
                                 std::string(as));
}

Status Unconvertible(const json& raw, std::string_view as) {
  return Status::InvalidArgument("expected type '" + std::string(as) +
                                 "', got unconvertible type '" + raw.type_name() + "'");
}

// ParseGoInt parses Go's strconv.ParseInt(s, 0, 64) syntax: an optional
// sign, then decimal, or 0x/0o/0b prefixes, or a leading 0 for octal.
bool ParseGoInt(std::string_view s, int64_t* out) {
  bool negative = false;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  } else if (s.size() > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'O')) {
    base = 8;
    s.remove_prefix(2);
  } else if (s.size() > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
    base = 2;
    s.remove_prefix(2);
  } else if (s.size() > 1 && s[0] == '0') {
    base = 8;
    s.remove_prefix(1);
  }
  if (s.empty() || s.front() == '+' || s.front() == '-') {
    return false;
  }
  uint64_t magnitude = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), magnitude, base);
  if (ec != std::errc() || ptr != s.data() + s.size()) {
    return false;
  }
  constexpr uint64_t kMaxPositive = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (negative) {
    if (magnitude > kMaxPositive + 1) {
      return false;
    }
    *out = magnitude == kMaxPositive + 1 ? std::numeric_limits<int64_t>::min()
                                         : -static_cast<int64_t>(magnitude);
    return true;
  }
  if (magnitude > kMaxPositive) {
    return false;
  }
  *out = static_cast<int64_t>(magnitude);
  return true;
}

// ParseGoBool accepts exactly what Go's strconv.ParseBool accepts.
bool ParseGoBool(std::string_view s, bool* out) {
  if (s == "1" || s == "t" || s == "T" || s == "TRUE" || s == "true" || s == "True") {
    *out = true;
    return true;
  }
  if (s == "0" || s == "f" || s == "F" || s == "FALSE" || s == "false" || s == "False") {
    *out = false;
    return true;
  }
  return false;
}

// IntegralDouble reports whether `d` is a whole number that fits in int64.
bool IntegralDouble(double d, int64_t* out) {
  if (!std::isfinite(d) || d != std::trunc(d) || d >= kInt64Bound || d < -kInt64Bound) {
    return false;
  }
  *out = static_cast<int64_t>(d);
  return true;
}

}  // namespace

std::string DescribeValue(const json& raw) {
  if (raw.is_string()) {
    return raw.get<std::string>();
  }
  return raw.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<std::string> WeakString(const json& raw) {
  switch (raw.type()) {
    case json::value_t::string:
      return raw.get<std::string>();
    case json::value_t::number_integer:
      return std::to_string(raw.get<int64_t>());
    case json::value_t::number_unsigned:
      return std::to_string(raw.get<uint64_t>());
    case json::value_t::number_float: {
      int64_t whole = 0;
      if (IntegralDouble(raw.get<double>(), &whole)) {
        return std::to_string(whole);
      }
      return raw.dump();
    }
    case json::value_t::boolean:
      return std::string(raw.get<bool>() ? "1" : "0");
    case json::value_t::null:
      return std::string();
    default:
      return Unconvertible(raw, "string");
  }
}

Result<int64_t> WeakInt(const json& raw) {
  switch (raw.type()) {
    case json::value_t::number_integer:
      return raw.get<int64_t>();
    case json::value_t::number_unsigned: {
      uint64_t u = raw.get<uint64_t>();
      if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        return CannotParse(raw, "int");
      }
      return static_cast<int64_t>(u);
    }
    case json::value_t::number_float: {
      int64_t whole = 0;
      if (!IntegralDouble(raw.get<double>(), &whole)) {
        return CannotParse(raw, "int");
      }
      return whole;
    }
    case json::value_t::boolean:
      return static_cast<int64_t>(raw.get<bool>() ? 1 : 0);
    case json::value_t::string: {
      const std::string& s = raw.get_ref<const std::string&>();
      if (s.empty()) {
        return static_cast<int64_t>(0);
      }
      int64_t value = 0;
      if (!ParseGoInt(s, &value)) {
        return CannotParse(raw, "int");
      }
      return value;
    }
    case json::value_t::null:
      return static_cast<int64_t>(0);
    default:
      return Unconvertible(raw, "int");
  }
}

Result<bool> WeakBool(const json& raw) {
  switch (raw.type()) {
    case json::value_t::boolean:
      return raw.get<bool>();
    case json::value_t::string: {
      const std::string& s = raw.get_ref<const std::string&>();
      if (s.empty()) {
        return false;
      }
      bool value = false;
      if (!ParseGoBool(s, &value)) {
        return CannotParse(raw, "bool");
      }
      return value;
    }
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: {
      // Vault sees JSON numbers as json.Number, whose text goes through
      // ParseBool: only 1 and 0 pass.
      bool value = false;
      if (!ParseGoBool(raw.dump(), &value)) {
        return CannotParse(raw, "bool");
      }
      return value;
    }
    case json::value_t::null:
      return false;
    default:
      return Unconvertible(raw, "bool");
  }
}

Result<int64_t> WeakDurationSeconds(const json& raw) {
  switch (raw.type()) {
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return WeakInt(raw);
    case json::value_t::number_float: {
      double d = std::trunc(raw.get<double>());
      if (!std::isfinite(d) || d >= kInt64Bound || d < -kInt64Bound) {
        return CannotParse(raw, "duration");
      }
      return static_cast<int64_t>(d);
    }
    case json::value_t::string: {
      std::string s = raw.get<std::string>();
      if (s.empty()) {
        return static_cast<int64_t>(0);
      }
      bool negative = s.front() == '-';
      if (negative) {
        s.erase(0, 1);
      }
      Result<int64_t> seconds = config::ParseDurationSeconds(s);
      if (!seconds.ok()) {
        return Status::InvalidArgument("cannot parse '" + DescribeValue(raw) +
                                       "' as a duration: use a number of seconds or a "
                                       "duration such as \"30m\" or \"1h30m\"");
      }
      return negative ? -*seconds : *seconds;
    }
    case json::value_t::null:
      return static_cast<int64_t>(0);
    default:
      return Unconvertible(raw, "duration");
  }
}

}  // namespace coffer::core::framework
