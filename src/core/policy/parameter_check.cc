#include "core/policy/parameter_check.h"

#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "base/glob.h"

namespace coffer::core::policy {

namespace {

std::string Lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

bool InList(const nlohmann::json& value, const std::vector<nlohmann::json>& list) {
  for (const nlohmann::json& listed : list) {
    if (listed.is_string() && value.is_string()) {
      if (GlobbedStringsMatch(listed.get_ref<const std::string&>(), value.get_ref<const std::string&>())) {
        return true;
      }
    } else if (listed == value) {
      return true;
    }
  }
  return false;
}

// SplitCommas reads "a, b,c" as ["a","b","c"], trimming spaces as Vault's
// parseutil.ParseCommaStringSlice does. An empty string yields no element.
std::vector<nlohmann::json> SplitCommas(std::string_view text) {
  std::vector<nlohmann::json> parts;
  if (text.empty()) {
    return parts;
  }
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    std::string_view part = text.substr(start, comma == std::string_view::npos ? std::string_view::npos
                                                                               : comma - start);
    size_t first = part.find_first_not_of(" \t\r\n");
    size_t last = part.find_last_not_of(" \t\r\n");
    parts.emplace_back(first == std::string_view::npos ? std::string()
                                                       : std::string(part.substr(first, last - first + 1)));
    if (comma == std::string_view::npos) {
      break;
    }
    start = comma + 1;
  }
  return parts;
}

// Elements returns the elements a value stands for when it is a list or a
// comma-separated string; empty for anything else.
std::vector<nlohmann::json> Elements(const nlohmann::json& value) {
  if (value.is_array()) {
    return std::vector<nlohmann::json>(value.begin(), value.end());
  }
  if (value.is_string()) {
    return SplitCommas(value.get_ref<const std::string&>());
  }
  return {};
}

bool ValueAllowed(const nlohmann::json& value, const std::vector<nlohmann::json>& list) {
  if (list.empty()) {
    return true;
  }
  bool comma_string =
      value.is_string() && value.get_ref<const std::string&>().find(',') != std::string::npos;
  if (comma_string) {
    // Vault accepts "baz/quux,wibble" for ["baz/*"] because the glob matches
    // the whole string, and then the endpoint acts on "wibble" too (its
    // documentation warns of this). coffer accepts a comma string whole
    // only when it is listed verbatim; otherwise each element must pass.
    for (const nlohmann::json& listed : list) {
      if (listed == value) {
        return true;
      }
    }
  } else if (InList(value, list)) {
    return true;
  }
  if (!value.is_array() && !comma_string) {
    // Vault also lets "" through any list (an empty comma list is
    // vacuously allowed); coffer fails closed unless "" is listed, which
    // InList checked above.
    return false;
  }
  for (const nlohmann::json& element : Elements(value)) {
    if (!InList(element, list)) {
      return false;
    }
  }
  // An empty JSON list sets nothing, so it passes.
  return true;
}

bool ValueDenied(const nlohmann::json& value, const std::vector<nlohmann::json>& list) {
  if (list.empty() || InList(value, list)) {
    return true;
  }
  for (const nlohmann::json& element : Elements(value)) {
    if (InList(element, list)) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool ParametersAllowed(const PathRule& rule, const nlohmann::json& data) {
  bool has_object = data.is_object();
  for (const std::string& required : rule.required_parameters) {
    if (!has_object || !data.contains(required)) {
      return false;
    }
  }
  if (!has_object || data.empty()) {
    return true;
  }

  if (!rule.denied_parameters.empty()) {
    if (rule.denied_parameters.count("*") != 0) {
      return false;
    }
    for (const auto& [name, value] : data.items()) {
      auto denied = rule.denied_parameters.find(Lowercase(name));
      if (denied != rule.denied_parameters.end() && ValueDenied(value, denied->second)) {
        return false;
      }
    }
  }

  if (rule.allowed_parameters.empty()) {
    return true;
  }
  bool any_name_allowed = rule.allowed_parameters.count("*") != 0;
  for (const auto& [name, value] : data.items()) {
    auto allowed = rule.allowed_parameters.find(Lowercase(name));
    if (allowed == rule.allowed_parameters.end()) {
      if (!any_name_allowed) {
        return false;
      }
      continue;
    }
    if (!ValueAllowed(value, allowed->second)) {
      return false;
    }
  }
  return true;
}

}  // namespace coffer::core::policy
