#include "audit/options.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace coffer::audit {

namespace {

const std::string* Find(const Options& options, const std::string& name) {
  auto it = options.find(name);
  return it == options.end() ? nullptr : &it->second;
}

}  // namespace

Status InvalidOption(const std::string& name, const std::string& value, const char* want) {
  return Status::InvalidArgument("audit option \"" + name + "\": invalid value \"" + value +
                                 "\" (want " + want + ")");
}

std::string OptionString(const Options& options, const std::string& name,
                         const std::string& fallback) {
  const std::string* v = Find(options, name);
  return v == nullptr || v->empty() ? fallback : *v;
}

Result<bool> OptionBool(const Options& options, const std::string& name, bool fallback) {
  const std::string* v = Find(options, name);
  if (v == nullptr || v->empty()) {
    return fallback;
  }
  std::string lower = *v;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (lower == "true" || lower == "1") {
    return true;
  }
  if (lower == "false" || lower == "0") {
    return false;
  }
  return InvalidOption(name, *v, "true or false");
}

Result<std::chrono::milliseconds> OptionDuration(const Options& options, const std::string& name,
                                                 std::chrono::milliseconds fallback) {
  const std::string* v = Find(options, name);
  if (v == nullptr || v->empty()) {
    return fallback;
  }
  uint64_t number = 0;
  const char* begin = v->data();
  const char* end = begin + v->size();
  auto [rest, ec] = std::from_chars(begin, end, number);
  if (ec != std::errc() || rest == begin) {
    return InvalidOption(name, *v, "a duration such as 2s or 500ms");
  }
  const std::string unit(rest, end);
  uint64_t ms = 0;
  if (unit.empty() || unit == "s") {
    ms = number * 1000;
  } else if (unit == "ms") {
    ms = number;
  } else if (unit == "m") {
    ms = number * 60'000;
  } else {
    return InvalidOption(name, *v, "a duration such as 2s or 500ms");
  }
  if (ms == 0 || ms > 3'600'000) {
    return InvalidOption(name, *v, "a duration between 1ms and 1h");
  }
  return std::chrono::milliseconds(ms);
}

Result<uint64_t> OptionCount(const Options& options, const std::string& name, uint64_t fallback) {
  const std::string* v = Find(options, name);
  if (v == nullptr || v->empty()) {
    return fallback;
  }
  uint64_t number = 0;
  auto [rest, ec] = std::from_chars(v->data(), v->data() + v->size(), number);
  if (ec != std::errc() || rest != v->data() + v->size()) {
    return InvalidOption(name, *v, "a non-negative integer");
  }
  return number;
}

}  // namespace coffer::audit
