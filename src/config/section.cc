#include "config/section.h"

#include <array>
#include <charconv>
#include <system_error>
#include <utility>

#include "config/server_config.h"

namespace coffer::config::internal {

namespace {

// DescribeValue names what was found, for "must be X, got Y" messages.
std::string DescribeValue(const hcl::Value& v) {
  switch (v.kind()) {
    case hcl::Value::Kind::kString: return "string " + hcl::Quote(v.as_string());
    case hcl::Value::Kind::kBool: return v.as_bool() ? "true" : "false";
    case hcl::Value::Kind::kInt: return "number " + std::to_string(v.as_int());
    default: return hcl::KindName(v.kind());
  }
}

std::string DoubleToString(double d) {
  std::array<char, 64> buf{};
  auto [ptr, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), d);
  if (ec != std::errc()) {
    return std::to_string(d);
  }
  return std::string(buf.data(), ptr);
}

}  // namespace

Section::Section(std::string_view filename, std::string name)
    : filename_(filename), name_(std::move(name)) {}

Status Section::Error(hcl::Position pos, std::string_view message) const {
  std::string m(filename_);
  m.append(":");
  m.append(std::to_string(pos.line));
  m.append(": ");
  m.append(message);
  return Status::InvalidArgument(std::move(m));
}

std::string Section::Where(std::string_view key) const {
  std::string out(key);
  if (!name_.empty()) {
    out.append(" in ");
    out.append(name_);
  }
  return out;
}

Status Section::UnknownKey(const hcl::Item& item) const {
  return Error(item.pos(), "unknown key " + Where(hcl::Quote(item.key())));
}

Status Section::MustBe(const hcl::Attribute& a, std::string_view expectation) const {
  return Error(a.value.pos(), Where(a.key) + " must be " + std::string(expectation) + ", got " +
                                  DescribeValue(a.value));
}

Result<const hcl::Attribute*> Section::AttributeOf(const hcl::Item& item) const {
  const hcl::Attribute* a = item.attribute();
  if (a == nullptr) {
    return Error(item.pos(), Where(item.key()) + " must be set as " + item.key() +
                                 " = <value>, not written as a block");
  }
  return a;
}

Result<std::string> Section::String(const hcl::Attribute& a) const {
  if (!a.value.is_string()) {
    return MustBe(a, "a string");
  }
  return a.value.as_string();
}

Result<bool> Section::Bool(const hcl::Attribute& a) const {
  const hcl::Value& v = a.value;
  if (v.is_bool()) {
    return v.as_bool();
  }
  if (v.is_int() && (v.as_int() == 0 || v.as_int() == 1)) {
    return v.as_int() == 1;
  }
  if (v.is_string()) {
    // The spellings Go's strconv.ParseBool accepts, which is what Vault uses.
    const std::string& s = v.as_string();
    if (s == "1" || s == "t" || s == "T" || s == "true" || s == "TRUE" || s == "True") {
      return true;
    }
    if (s == "0" || s == "f" || s == "F" || s == "false" || s == "FALSE" || s == "False") {
      return false;
    }
  }
  return MustBe(a, "true or false");
}

Result<int64_t> Section::Int(const hcl::Attribute& a) const {
  const hcl::Value& v = a.value;
  if (v.is_int()) {
    return v.as_int();
  }
  if (v.is_string()) {
    const std::string& s = v.as_string();
    int64_t out = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (!s.empty() && ec == std::errc() && ptr == s.data() + s.size()) {
      return out;
    }
  }
  return MustBe(a, "a whole number");
}

Result<int64_t> Section::Duration(const hcl::Attribute& a) const {
  const hcl::Value& v = a.value;
  if (v.is_int()) {
    if (v.as_int() < 0) {
      return MustBe(a, "a duration that is not negative");
    }
    return v.as_int();
  }
  if (v.is_string()) {
    Result<int64_t> seconds = ParseDurationSeconds(v.as_string());
    if (!seconds.ok()) {
      return Error(v.pos(), Where(a.key) + ": " + seconds.status().message());
    }
    return seconds;
  }
  return MustBe(a, "a duration such as \"768h\" or a whole number of seconds");
}

Result<std::string> Section::Scalar(const hcl::Attribute& a) const {
  const hcl::Value& v = a.value;
  switch (v.kind()) {
    case hcl::Value::Kind::kString: return v.as_string();
    case hcl::Value::Kind::kBool: return std::string(v.as_bool() ? "true" : "false");
    case hcl::Value::Kind::kInt: return std::to_string(v.as_int());
    case hcl::Value::Kind::kDouble: return DoubleToString(v.as_double());
    default: return MustBe(a, "a string, number or bool");
  }
}

}  // namespace coffer::config::internal
