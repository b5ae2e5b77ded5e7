#include "core/token_entry_json.h"

#include <charconv>
#include <cstdint>
#include <map>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/compact_json.h"

namespace coffer::core {

namespace {

void AppendInt(std::string* out, int64_t value) {
  char buffer[24];
  const std::to_chars_result r = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out->append(buffer, r.ptr);
}

void AppendStrings(std::string* out, const std::vector<std::string>& values) {
  out->push_back('[');
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) {
      out->push_back(',');
    }
    AppendJsonString(out, values[i]);
  }
  out->push_back(']');
}

void AppendStringMap(std::string* out, const std::map<std::string, std::string>& values) {
  out->push_back('{');
  bool first = true;
  for (const auto& [key, value] : values) {
    if (!first) {
      out->push_back(',');
    }
    first = false;
    AppendJsonString(out, key);
    out->push_back(':');
    AppendJsonString(out, value);
  }
  out->push_back('}');
}

// Key writes a member's name (a literal needing no escape) and its colon,
// preceded by a comma unless it is the object's first.
void Key(std::string* out, std::string_view name, bool first = false) {
  if (!first) {
    out->push_back(',');
  }
  out->push_back('"');
  out->append(name);
  out->append("\":");
}

}  // namespace

std::string EncodeTokenEntry(const TokenEntry& e) {
  std::string out;
  out.reserve(512);
  out.push_back('{');
  // In nlohmann's order (std::map: sorted by name), so the bytes match.
  Key(&out, "accessor", /*first=*/true);
  AppendJsonString(&out, e.accessor);
  Key(&out, "batch");
  out.append(e.batch ? "true" : "false");
  Key(&out, "bound_cidrs");
  AppendStrings(&out, e.bound_cidrs);
  Key(&out, "creation_time");
  AppendInt(&out, e.creation_time);
  Key(&out, "creation_ttl");
  AppendInt(&out, e.creation_ttl);
  Key(&out, "display_name");
  AppendJsonString(&out, e.display_name);
  Key(&out, "entity_id");
  AppendJsonString(&out, e.entity_id);
  Key(&out, "explicit_max_ttl");
  AppendInt(&out, e.explicit_max_ttl);
  Key(&out, "issue_time");
  AppendInt(&out, e.issue_time);
  Key(&out, "meta");
  AppendStringMap(&out, e.meta);
  Key(&out, "num_uses");
  AppendInt(&out, e.num_uses);
  Key(&out, "parent");
  AppendJsonString(&out, e.parent_key);
  Key(&out, "path");
  AppendJsonString(&out, e.path);
  Key(&out, "period");
  AppendInt(&out, e.period);
  Key(&out, "policies");
  AppendStrings(&out, e.policies);
  Key(&out, "renewable");
  out.append(e.renewable ? "true" : "false");
  Key(&out, "role");
  AppendJsonString(&out, e.role);
  Key(&out, "ttl");
  AppendInt(&out, e.ttl);
  out.push_back('}');
  return out;
}

std::string EncodeAccessorIndex(const std::string& id_key) {
  std::string out = "{\"id_key\":";
  AppendJsonString(&out, id_key);
  out.push_back('}');
  return out;
}

}  // namespace coffer::core
