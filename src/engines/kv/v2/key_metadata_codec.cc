// The stored form of KV v2 key metadata: compact JSON with sorted members,
// decoded through the document (any stored form is accepted) and encoded
// member by member (byte-identical to dumping the document).
#include <algorithm>
#include <charconv>
#include <limits>
#include <utility>

#include "base/compact_json.h"
#include "core/framework/json_util.h"
#include "engines/kv/v2/key_metadata.h"
#include "engines/kv/v2/stored_object.h"

namespace coffer::engines::kv {

namespace {

using nlohmann::json;

Result<VersionMetadata> ParseVersion(const json& stored) {
  StoredObject object(stored, "kv version metadata");
  VersionMetadata vm;
  vm.created_ns = object.Int("created_time");
  vm.deletion_ns = object.OptionalInt("deletion_time");
  vm.destroyed = object.Bool("destroyed");
  COFFER_RETURN_IF_ERROR(object.status());
  return vm;
}

Result<KeyMetadata> ParseKeyMetadata(const json& stored) {
  StoredObject object(stored, "kv key metadata");
  KeyMetadata meta;
  meta.current_version = object.Uint("current_version");
  meta.oldest_version = object.Uint("oldest_version");
  uint64_t max_versions = object.Uint("max_versions");
  meta.cas_required = object.Bool("cas_required");
  meta.delete_version_after = object.Int("delete_version_after");
  meta.created_ns = object.OptionalInt("created_time");
  meta.updated_ns = object.OptionalInt("updated_time");
  const json* versions = object.Object("versions");
  const json* custom = object.Object("custom_metadata");
  COFFER_RETURN_IF_ERROR(object.status());
  if (max_versions > std::numeric_limits<uint32_t>::max()) {
    return Status::Corruption("stored kv key metadata has max_versions out of range");
  }
  meta.max_versions = static_cast<uint32_t>(max_versions);
  if (versions != nullptr) {
    for (auto it = versions->begin(); it != versions->end(); ++it) {
      uint64_t number = 0;
      const std::string& name = it.key();
      auto [ptr, ec] = std::from_chars(name.data(), name.data() + name.size(), number);
      if (ec != std::errc() || ptr != name.data() + name.size()) {
        return Status::Corruption("stored kv key metadata has a bad version number");
      }
      COFFER_ASSIGN_OR_RETURN(VersionMetadata vm, ParseVersion(it.value()));
      meta.versions.emplace(number, vm);
    }
  }
  if (custom != nullptr) {
    for (auto it = custom->begin(); it != custom->end(); ++it) {
      if (!it.value().is_string()) {
        return Status::Corruption("stored kv custom_metadata holds a non-string");
      }
      meta.custom_metadata.emplace(it.key(), it.value().get<std::string>());
    }
  }
  return meta;
}

// The writers below append the members of the stored form one by one, in
// the order (sorted) and format (compact) that dump() of a json DOM gives,
// which is what metadata was stored as before. Building the DOM cost a
// std::map insert per member on every write.

template <typename Int>
void AppendInt(std::string* out, Int value) {
  char buf[24];  // any 64-bit integer
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value);
  (void)ec;
  out->append(buf, end);
}

void AppendOptionalTime(std::string* out, const std::optional<int64_t>& t) {
  if (t) {
    AppendInt(out, *t);
  } else {
    out->append("null");
  }
}

void AppendBool(std::string* out, bool value) { out->append(value ? "true" : "false"); }

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// AppendString writes a JSON string. Non-ASCII text goes through
// nlohmann's strict dump, as the DOM did: text that is not valid UTF-8
// fails rather than being replaced, which would store bytes that decode to
// a different value than the one cached.
Status AppendString(std::string* out, const std::string& s) {
  if (IsAscii(s)) {
    AppendCompactJson(out, json(s));  // its escaping is dump()'s
    return Status::Ok();
  }
  COFFER_ASSIGN_OR_RETURN(std::string encoded, core::framework::EncodeJson(json(s)));
  out->append(encoded);
  return Status::Ok();
}

// AppendVersions writes the versions object. Its member names are the
// numbers in decimal, so they sort as strings ("10" before "9"), not as
// the map keeps them.
void AppendVersions(std::string* out, const std::map<uint64_t, VersionMetadata>& versions) {
  std::vector<std::pair<std::string, const VersionMetadata*>> named;
  named.reserve(versions.size());
  for (const auto& [number, vm] : versions) {
    named.emplace_back(std::to_string(number), &vm);
  }
  std::sort(named.begin(), named.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  out->push_back('{');
  for (size_t i = 0; i < named.size(); ++i) {
    const VersionMetadata& vm = *named[i].second;
    if (i > 0) {
      out->push_back(',');
    }
    out->push_back('"');
    out->append(named[i].first);  // digits need no escaping
    out->append("\":{\"created_time\":");
    AppendInt(out, vm.created_ns);
    out->append(",\"deletion_time\":");
    AppendOptionalTime(out, vm.deletion_ns);
    out->append(",\"destroyed\":");
    AppendBool(out, vm.destroyed);
    out->push_back('}');
  }
  out->push_back('}');
}

Status AppendCustomMetadata(std::string* out, const std::map<std::string, std::string>& custom) {
  out->push_back('{');
  bool first = true;
  for (const auto& [name, value] : custom) {
    if (!first) {
      out->push_back(',');
    }
    first = false;
    COFFER_RETURN_IF_ERROR(AppendString(out, name));
    out->push_back(':');
    COFFER_RETURN_IF_ERROR(AppendString(out, value));
  }
  out->push_back('}');
  return Status::Ok();
}

}  // namespace

Result<std::string> EncodeKeyMetadata(const KeyMetadata& meta) {
  // The path is not stored inside: the storage key names it, and a path
  // need not be valid UTF-8, which JSON text must be.
  std::string out;
  out.reserve(256 + 64 * meta.versions.size());
  out.append("{\"cas_required\":");
  AppendBool(&out, meta.cas_required);
  out.append(",\"created_time\":");
  AppendOptionalTime(&out, meta.created_ns);
  out.append(",\"current_version\":");
  AppendInt(&out, meta.current_version);
  out.append(",\"custom_metadata\":");
  COFFER_RETURN_IF_ERROR(AppendCustomMetadata(&out, meta.custom_metadata));
  out.append(",\"delete_version_after\":");
  AppendInt(&out, meta.delete_version_after);
  out.append(",\"max_versions\":");
  AppendInt(&out, meta.max_versions);
  out.append(",\"oldest_version\":");
  AppendInt(&out, meta.oldest_version);
  out.append(",\"updated_time\":");
  AppendOptionalTime(&out, meta.updated_ns);
  out.append(",\"versions\":");
  AppendVersions(&out, meta.versions);
  out.push_back('}');
  return out;
}

Result<KeyMetadata> DecodeKeyMetadata(std::string_view bytes, std::string_view key) {
  COFFER_ASSIGN_OR_RETURN(json stored, core::framework::DecodeStoredJson(bytes, "kv key metadata"));
  COFFER_ASSIGN_OR_RETURN(KeyMetadata meta, ParseKeyMetadata(stored));
  meta.key = std::string(key);
  return meta;
}

}  // namespace coffer::engines::kv
