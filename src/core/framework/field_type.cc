#include "core/framework/field_type.h"

#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "core/framework/weak_decode.h"

namespace coffer::core::framework {

namespace {

using nlohmann::json;

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

std::vector<std::string> SplitCommas(std::string_view s) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t comma = s.find(',', start);
    if (comma == std::string_view::npos) {
      parts.emplace_back(s.substr(start));
      return parts;
    }
    parts.emplace_back(s.substr(start, comma - start));
    start = comma + 1;
  }
}

Status NotA(const json& raw, std::string_view what) {
  return Status::InvalidArgument("expected " + std::string(what) + ", got " +
                                 std::string(raw.type_name()));
}

bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// IsName checks Vault's name rule ^\w(([\w-.]+)?\w)?$ without a regex.
bool IsName(std::string_view s) {
  if (s.empty() || !IsWordChar(s.front()) || !IsWordChar(s.back())) {
    return false;
  }
  for (char c : s) {
    if (!IsWordChar(c) && c != '-' && c != '.') {
      return false;
    }
  }
  return true;
}

// ElementsOf lists the values a slice type is built from: an array's
// elements, nothing for "" or {}, or the single value itself.
Result<std::vector<json>> ElementsOf(const json& raw) {
  if (raw.is_array()) {
    return std::vector<json>(raw.begin(), raw.end());
  }
  if (raw.is_object()) {
    if (raw.empty()) {
      return std::vector<json>();
    }
    return NotA(raw, "a list");
  }
  if (raw.is_string() && raw.get_ref<const std::string&>().empty()) {
    return std::vector<json>();
  }
  return std::vector<json>{raw};
}

Result<json> ToStringSlice(const json& raw, bool split_commas) {
  std::vector<json> elements;
  if (split_commas && raw.is_string()) {
    const std::string& s = raw.get_ref<const std::string&>();
    if (!s.empty()) {
      for (std::string& part : SplitCommas(s)) {
        elements.emplace_back(std::move(part));
      }
    }
  } else if (split_commas && raw.is_number()) {
    COFFER_ASSIGN_OR_RETURN(std::string text, WeakString(raw));
    elements.emplace_back(std::move(text));
  } else {
    COFFER_ASSIGN_OR_RETURN(elements, ElementsOf(raw));
  }
  json out = json::array();
  for (const json& element : elements) {
    COFFER_ASSIGN_OR_RETURN(std::string s, WeakString(element));
    out.push_back(Trim(s));
  }
  return out;
}

Result<json> ToIntSlice(const json& raw) {
  std::vector<json> elements;
  if (raw.is_string()) {
    const std::string& s = raw.get_ref<const std::string&>();
    if (!s.empty()) {
      for (std::string& part : SplitCommas(s)) {
        elements.emplace_back(Trim(part));
      }
    }
  } else {
    COFFER_ASSIGN_OR_RETURN(elements, ElementsOf(raw));
  }
  json out = json::array();
  for (const json& element : elements) {
    COFFER_ASSIGN_OR_RETURN(int64_t value, WeakInt(element));
    out.push_back(value);
  }
  return out;
}

// ToMap accepts an object, or (mapstructure's weak rules) a list of objects
// merged in order, [] being {}.
Result<json> ToMap(const json& raw) {
  if (raw.is_object()) {
    return raw;
  }
  if (!raw.is_array()) {
    return NotA(raw, "a map");
  }
  json merged = json::object();
  for (const json& element : raw) {
    if (!element.is_object()) {
      return NotA(raw, "a map");
    }
    for (auto it = element.begin(); it != element.end(); ++it) {
      merged[it.key()] = it.value();
    }
  }
  return merged;
}

Result<json> ToKeyValuePairs(const json& raw) {
  json out = json::object();
  if (raw.is_object()) {
    for (auto it = raw.begin(); it != raw.end(); ++it) {
      COFFER_ASSIGN_OR_RETURN(std::string value, WeakString(it.value()));
      out[it.key()] = value;
    }
    return out;
  }
  COFFER_ASSIGN_OR_RETURN(json pairs, ToStringSlice(raw, false));
  for (const json& pair : pairs) {
    const std::string& text = pair.get_ref<const std::string&>();
    size_t eq = text.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::InvalidArgument("invalid key pair \"" + text + "\"");
    }
    out[text.substr(0, eq)] = text.substr(eq + 1);
  }
  return out;
}

}  // namespace

const char* FieldTypeName(FieldType type) {
  switch (type) {
    case FieldType::kString: return "string";
    case FieldType::kInt: return "int";
    case FieldType::kBool: return "bool";
    case FieldType::kDuration: return "duration (sec)";
    case FieldType::kSignedDuration: return "signed duration (sec)";
    case FieldType::kSlice: return "slice";
    case FieldType::kStringSlice: return "slice";
    case FieldType::kCommaStringSlice: return "slice";
    case FieldType::kIntSlice: return "slice";
    case FieldType::kMap: return "map";
    case FieldType::kKeyValuePairs: return "keypair";
    case FieldType::kLowerCaseString: return "lowercase string";
    case FieldType::kNameString: return "name string";
  }
  return "unknown type";
}

Result<json> ConvertField(FieldType type, const json& raw) {
  switch (type) {
    case FieldType::kString: {
      COFFER_ASSIGN_OR_RETURN(std::string s, WeakString(raw));
      return json(std::move(s));
    }
    case FieldType::kLowerCaseString: {
      COFFER_ASSIGN_OR_RETURN(std::string s, WeakString(raw));
      for (char& c : s) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      return json(std::move(s));
    }
    case FieldType::kNameString: {
      COFFER_ASSIGN_OR_RETURN(std::string s, WeakString(raw));
      if (!IsName(s)) {
        return Status::InvalidArgument("field does not match the formatting rules");
      }
      return json(std::move(s));
    }
    case FieldType::kInt: {
      COFFER_ASSIGN_OR_RETURN(int64_t value, WeakInt(raw));
      return json(value);
    }
    case FieldType::kBool: {
      COFFER_ASSIGN_OR_RETURN(bool value, WeakBool(raw));
      return json(value);
    }
    case FieldType::kDuration:
    case FieldType::kSignedDuration: {
      COFFER_ASSIGN_OR_RETURN(int64_t seconds, WeakDurationSeconds(raw));
      if (type == FieldType::kDuration && seconds < 0) {
        return Status::InvalidArgument("cannot provide negative value '" +
                                       std::to_string(seconds) + "'");
      }
      return json(seconds);
    }
    case FieldType::kSlice: {
      COFFER_ASSIGN_OR_RETURN(std::vector<json> elements, ElementsOf(raw));
      return json(std::move(elements));
    }
    case FieldType::kStringSlice:
      return ToStringSlice(raw, false);
    case FieldType::kCommaStringSlice:
      return ToStringSlice(raw, true);
    case FieldType::kIntSlice:
      return ToIntSlice(raw);
    case FieldType::kMap:
      return ToMap(raw);
    case FieldType::kKeyValuePairs:
      return ToKeyValuePairs(raw);
  }
  return Status::Internal("unknown field type");
}

json ZeroValue(FieldType type) {
  switch (type) {
    case FieldType::kString:
    case FieldType::kLowerCaseString:
    case FieldType::kNameString:
      return json("");
    case FieldType::kInt:
    case FieldType::kDuration:
    case FieldType::kSignedDuration:
      return json(static_cast<int64_t>(0));
    case FieldType::kBool:
      return json(false);
    case FieldType::kSlice:
    case FieldType::kStringSlice:
    case FieldType::kCommaStringSlice:
    case FieldType::kIntSlice:
      return json::array();
    case FieldType::kMap:
    case FieldType::kKeyValuePairs:
      return json::object();
  }
  return json();
}

}  // namespace coffer::core::framework
