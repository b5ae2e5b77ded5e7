#include "cli/secret_output.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace coffer::cli {

namespace {

using nlohmann::json;

// Dump never throws: invalid UTF-8 from a server becomes U+FFFD instead of
// aborting the print.
std::string Dump(const json& value, int indent) {
  return value.dump(indent, ' ', false, json::error_handler_t::replace);
}

// Utf8Width counts code points, which is how Go pads "%-Ns".
size_t Utf8Width(std::string_view s) {
  size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++n;
    }
  }
  return n;
}

std::string Trim(std::string_view s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b])) != 0) {
    ++b;
  }
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1])) != 0) {
    --e;
  }
  return std::string(s.substr(b, e - b));
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// GoQuote renders a string as Go's strconv.Quote does, for the characters
// that matter in policy names and metadata.
std::string GoQuote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\x%02x", static_cast<unsigned char>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

bool IsSet(const json& body, const char* key) {
  return body.is_object() && body.contains(key) && !body[key].is_null();
}

bool IsObject(const json& body, const char* key) {
  return body.is_object() && body.contains(key) && body[key].is_object();
}

json Member(const json& object, const char* key) {
  return object.is_object() && object.contains(key) ? object[key] : json(nullptr);
}

// Str is a string member as Go's zero-valued struct field would print it:
// "" when absent.
std::string Str(const json& object, const char* key) {
  json v = Member(object, key);
  return v.is_null() ? "" : GoValue(v);
}

bool Bool(const json& object, const char* key) {
  json v = Member(object, key);
  return v.is_boolean() && v.get<bool>();
}

int64_t IntOr(const json& object, const char* key, int64_t fallback) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_number_integer()) {
    return fallback;
  }
  return object[key].get<int64_t>();
}

}  // namespace

std::string GoValue(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "<nil>";
    case json::value_t::string:
      return value.get<std::string>();
    case json::value_t::boolean:
      return value.get<bool>() ? "true" : "false";
    case json::value_t::array: {
      std::string out = "[";
      for (size_t i = 0; i < value.size(); ++i) {
        out += (i == 0 ? "" : " ") + GoValue(value[i]);
      }
      return out + "]";
    }
    case json::value_t::object: {
      // nlohmann's object keeps its keys sorted, as Go prints maps.
      std::string out = "map[";
      bool first = true;
      for (const auto& [k, v] : value.items()) {
        out += (first ? "" : " ") + k + ":" + GoValue(v);
        first = false;
      }
      return out + "]";
    }
    default:
      return Dump(value, -1);
  }
}

std::string GoQuotedList(const json& list) {
  std::string out = "[";
  if (list.is_array()) {
    for (size_t i = 0; i < list.size(); ++i) {
      out += (i == 0 ? "" : " ") + GoQuote(list[i].is_string() ? list[i].get<std::string>()
                                                               : GoValue(list[i]));
    }
  }
  return out + "]";
}

std::string HumanDuration(int64_t seconds) {
  if (seconds == 0) {
    return "0s";
  }
  std::string sign = seconds < 0 ? "-" : "";
  uint64_t u = seconds < 0 ? static_cast<uint64_t>(-(seconds + 1)) + 1 : seconds;
  std::string s;
  // Go's Duration.String: hours, then minutes and seconds always shown once
  // a larger unit is.
  if (u >= 3600) {
    s = std::to_string(u / 3600) + "h" + std::to_string(u % 3600 / 60) + "m" +
        std::to_string(u % 60) + "s";
  } else if (u >= 60) {
    s = std::to_string(u / 60) + "m" + std::to_string(u % 60) + "s";
  } else {
    s = std::to_string(u) + "s";
  }
  if (EndsWith(s, "m0s")) {
    s.resize(s.size() - 2);
  }
  if (size_t idx = s.find("h0m"); idx != std::string::npos && idx > 0) {
    s = s.substr(0, idx + 1) + s.substr(idx + 3);
  }
  return sign + s;
}

bool LooksLikeDuration(const std::string& k) {
  return k == "period" || EndsWith(k, "_period") || k == "ttl" || EndsWith(k, "_ttl") ||
         k == "duration" || EndsWith(k, "_duration") || k == "lease_max" || k == "ttl_max";
}

std::string CellValue(const std::string& key, const json& value) {
  if (LooksLikeDuration(key) && value.is_number_integer()) {
    return HumanDuration(value.get<int64_t>());
  }
  return GoValue(value);
}

std::string FormatColumns(const std::vector<std::vector<std::string>>& input) {
  if (input.empty()) {
    return "";
  }
  std::vector<std::vector<std::string>> lines;
  lines.reserve(input.size() + 1);
  for (const auto& line : input) {
    std::vector<std::string> cells;
    for (const auto& cell : line) {
      std::string t = Trim(cell);
      cells.push_back(t.empty() ? "n/a" : t);
    }
    lines.push_back(std::move(cells));
    if (lines.size() == 1) {
      std::vector<std::string> underline;
      for (const auto& h : lines[0]) {
        underline.emplace_back(h == "n/a" ? 0 : h.size(), '-');
      }
      lines.push_back(std::move(underline));
    }
  }
  std::vector<size_t> widths;
  for (const auto& line : lines) {
    for (size_t i = 0; i < line.size(); ++i) {
      if (widths.size() <= i) {
        widths.push_back(0);
      }
      widths[i] = std::max(widths[i], Utf8Width(line[i]));
    }
  }
  std::string out;
  for (const auto& line : lines) {
    for (size_t i = 0; i < line.size(); ++i) {
      out += line[i];
      if (i + 1 < line.size()) {
        out += std::string(widths[i] - Utf8Width(line[i]) + 4, ' ');
      }
    }
    out += "\n";
  }
  return out;
}

std::vector<std::vector<std::string>> MapRows(const json& object) {
  std::vector<std::vector<std::string>> rows;
  if (!object.is_object()) {
    return rows;
  }
  for (const auto& [k, v] : object.items()) {
    rows.push_back({k, CellValue(k, v)});
  }
  return rows;
}

std::string KeyValueTable(const std::vector<std::vector<std::string>>& rows) {
  if (rows.empty()) {
    return "";
  }
  std::vector<std::vector<std::string>> lines = {{"Key", "Value"}};
  lines.insert(lines.end(), rows.begin(), rows.end());
  return FormatColumns(lines);
}

std::vector<std::vector<std::string>> SecretRows(const json& body) {
  std::vector<std::vector<std::string>> rows;
  if (!body.is_object()) {
    return rows;
  }
  const int64_t lease = IntOr(body, "lease_duration", 0);
  if (lease > 0) {
    const std::string lease_id = Str(body, "lease_id");
    if (!lease_id.empty()) {
      rows.push_back({"lease_id", lease_id});
      rows.push_back({"lease_duration", HumanDuration(lease)});
      rows.push_back({"lease_renewable", Bool(body, "renewable") ? "true" : "false"});
    } else {
      // Static secrets (kv) carry a TTL that is only a refresh hint.
      rows.push_back({"refresh_interval", HumanDuration(lease)});
    }
  }
  if (IsObject(body, "auth")) {
    const json& auth = body["auth"];
    rows.push_back({"token", Str(auth, "client_token")});
    rows.push_back({"token_accessor", Str(auth, "accessor")});
    const int64_t duration = IntOr(auth, "lease_duration", 0);
    // A zero duration is a token that never expires (root).
    rows.push_back({"token_duration", duration == 0 ? "\xE2\x88\x9E" : HumanDuration(duration)});
    rows.push_back({"token_renewable", Bool(auth, "renewable") ? "true" : "false"});
    rows.push_back({"token_policies", GoQuotedList(Member(auth, "token_policies"))});
    rows.push_back({"identity_policies", GoQuotedList(Member(auth, "identity_policies"))});
    rows.push_back({"policies", GoQuotedList(Member(auth, "policies"))});
    if (auth.contains("metadata") && auth["metadata"].is_object()) {
      for (const auto& [k, v] : auth["metadata"].items()) {
        rows.push_back({"token_meta_" + k, GoValue(v)});
      }
    }
  }
  if (IsObject(body, "wrap_info")) {
    const json& w = body["wrap_info"];
    rows.push_back({"wrapping_token:", Str(w, "token")});
    rows.push_back({"wrapping_accessor:", Str(w, "accessor")});
    rows.push_back({"wrapping_token_ttl:", HumanDuration(IntOr(w, "ttl", 0))});
    rows.push_back({"wrapping_token_creation_time:", Str(w, "creation_time")});
    rows.push_back({"wrapping_token_creation_path:", Str(w, "creation_path")});
    const std::string wrapped = Str(w, "wrapped_accessor");
    if (!wrapped.empty()) {
      rows.push_back({"wrapped_accessor:", wrapped});
    }
  }
  if (IsSet(body, "data")) {
    auto data_rows = MapRows(body["data"]);
    rows.insert(rows.end(), data_rows.begin(), data_rows.end());
  }
  return rows;
}

std::string PadEqualSigns(const std::string& header, size_t total) {
  long signs = static_cast<long>(total) - static_cast<long>(header.size() + 2);
  if (signs <= 0) {
    signs = 4;
  }
  if (signs % 2 != 0) {
    ++signs;
  }
  const std::string side(static_cast<size_t>(signs / 2), '=');
  return side + " " + header + " " + side;
}

std::string HeaderForMap(const std::string& header, const json& object) {
  size_t longest = 0;
  if (object.is_object()) {
    for (const auto& [k, v] : object.items()) {
      longest = std::max(longest, k.size());
    }
  }
  // The key column, the four-space glue, and "Value".
  return PadEqualSigns(header, longest + 4 + 5);
}

json RawField(const json& body, const std::string& field) {
  if (!body.is_object()) {
    return nullptr;
  }
  const json data = IsSet(body, "data") ? body["data"] : json::object();
  auto from_data = [&]() -> json { return Member(data, field.c_str()); };
  auto member = [](const json& object, const char* key) -> json { return Member(object, key); };
  if (IsObject(body, "auth")) {
    const json& auth = body["auth"];
    static const std::pair<const char*, const char*> kAuthFields[] = {
        {"token", "client_token"},
        {"token_accessor", "accessor"},
        {"token_duration", "lease_duration"},
        {"token_renewable", "renewable"},
        {"token_policies", "token_policies"},
        {"identity_policies", "identity_policies"},
        {"policies", "policies"},
    };
    for (const auto& [name, key] : kAuthFields) {
      if (field == name) {
        return member(auth, key);
      }
    }
    return from_data();
  }
  if (IsObject(body, "wrap_info")) {
    const json& w = body["wrap_info"];
    static const std::pair<const char*, const char*> kWrapFields[] = {
        {"wrapping_token", "token"},
        {"wrapping_accessor", "accessor"},
        {"wrapping_token_ttl", "ttl"},
        {"wrapping_token_creation_time", "creation_time"},
        {"wrapping_token_creation_path", "creation_path"},
        {"wrapped_accessor", "wrapped_accessor"},
    };
    for (const auto& [name, key] : kWrapFields) {
      if (field == name) {
        return member(w, key);
      }
    }
    return from_data();
  }
  if (field == "lease_duration" || field == "refresh_interval") {
    return member(body, "lease_duration");
  }
  if (field == "lease_id" || field == "request_id" || field == "renewable") {
    return member(body, field.c_str());
  }
  if (field == "data") {
    return data.is_object() && data.contains("data") ? data["data"] : data;
  }
  return from_data();
}

std::string OutputFormat(const ParsedFlags& flags) {
  std::string format = flags.Get("format");
  if (format.empty()) {
    const char* env = std::getenv("VAULT_FORMAT");
    format = env != nullptr ? env : "";
  }
  std::transform(format.begin(), format.end(), format.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return format.empty() ? "table" : format;
}

bool CheckFormat(const ParsedFlags& flags) {
  const std::string format = OutputFormat(flags);
  if (format == "table" || format == "json") {
    return true;
  }
  std::fprintf(stderr, "Invalid output format: %s (use table or json)\n", format.c_str());
  return false;
}

void PrintWarnings(const json& body) {
  if (!body.is_object() || !body.contains("warnings") || !body["warnings"].is_array() ||
      body["warnings"].empty()) {
    return;
  }
  std::fprintf(stderr, "WARNING! The following warnings were returned from Vault:\n\n");
  for (const auto& w : body["warnings"]) {
    std::fprintf(stderr, "  * %s\n\n", GoValue(w).c_str());
  }
}

int PrintFieldValue(const ParsedFlags& flags, const std::string& field, const json& value) {
  if (value.is_null()) {
    std::fprintf(stderr, "Field \"%s\" not present in secret\n", field.c_str());
    return 1;
  }
  const std::string text = OutputFormat(flags) == "json" ? Dump(value, 2) : GoValue(value);
  std::fwrite(text.data(), 1, text.size(), stdout);
  if (isatty(STDOUT_FILENO) != 0) {
    std::fputc('\n', stdout);
  }
  return 0;
}

int PrintSecret(const ParsedFlags& flags, const json& body) {
  if (flags.Has("field")) {
    const std::string field = flags.Get("field");
    return PrintFieldValue(flags, field, RawField(body, field));
  }
  if (OutputFormat(flags) == "json") {
    std::printf("%s\n", Dump(body, 2).c_str());
    return 0;
  }
  PrintWarnings(body);
  std::printf("%s", KeyValueTable(SecretRows(body)).c_str());
  return 0;
}

int PrintMap(const ParsedFlags& flags, const json& object) {
  if (OutputFormat(flags) == "json") {
    std::printf("%s\n", Dump(object, 2).c_str());
    return 0;
  }
  std::printf("%s", KeyValueTable(MapRows(object)).c_str());
  return 0;
}

int PrintList(const ParsedFlags& flags, const json& body) {
  json keys = json::array();
  if (body.is_object() && body.contains("data") && body["data"].is_object() &&
      body["data"].contains("keys") && body["data"]["keys"].is_array()) {
    keys = body["data"]["keys"];
  }
  if (OutputFormat(flags) == "json") {
    std::printf("%s\n", Dump(keys, 2).c_str());
    return 0;
  }
  PrintWarnings(body);
  std::vector<std::string> names;
  for (const auto& k : keys) {
    names.push_back(GoValue(k));
  }
  std::sort(names.begin(), names.end());
  std::vector<std::vector<std::string>> lines = {{"Keys"}};
  for (auto& n : names) {
    lines.push_back({std::move(n)});
  }
  std::printf("%s", FormatColumns(lines).c_str());
  return 0;
}

int PrintListResponse(const ParsedFlags& flags, const std::string& path,
                      const std::optional<json>& body) {
  if (body && IsObject(*body, "wrap_info")) {
    return PrintSecret(flags, *body);
  }
  const json data = body ? Member(*body, "data") : json(nullptr);
  const bool has_keys = Member(data, "keys").is_array();
  if (OutputFormat(flags) != "table" && !has_keys) {
    std::printf("{}\n");
    return 2;
  }
  if (!body) {
    std::fprintf(stderr, "No value found at %s\n", path.c_str());
    return 2;
  }
  if (data.is_null()) {
    // Only warnings came back; show them.
    return PrintSecret(flags, *body);
  }
  if (!has_keys) {
    std::fprintf(stderr, "No entries found at %s\n", path.c_str());
    return 2;
  }
  return PrintList(flags, *body);
}

}  // namespace coffer::cli
