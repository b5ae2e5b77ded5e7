#include "engines/kv/v2/key_metadata.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <utility>

#include "base/compact_json.h"
#include "core/framework/json_util.h"
#include "core/framework/time_format.h"
#include "engines/kv/v2/stored_object.h"

namespace coffer::engines::kv {

namespace {

using nlohmann::json;

constexpr int64_t kNanosPerSecond = 1'000'000'000;

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

std::vector<uint64_t> KeyMetadata::AddVersion(int64_t created, std::optional<int64_t> deletion,
                                              uint32_t config_max_versions) {
  ++current_version;
  versions[current_version] = VersionMetadata{created, deletion, false};
  updated_ns = created;
  if (!created_ns) {
    created_ns = created;
  }

  // The key's own setting wins over the mount's, which wins over the default.
  uint32_t keep = max_versions > 0          ? max_versions
                  : config_max_versions > 0 ? config_max_versions
                                            : kDefaultMaxVersions;
  std::vector<uint64_t> dropped;
  if (current_version - oldest_version < keep) {
    return dropped;
  }
  // Several versions go at once when max_versions was lowered.
  uint64_t last_dropped = current_version - keep;
  for (uint64_t v = oldest_version; v <= last_dropped; ++v) {
    versions.erase(v);
    if (v > 0) {  // version 0 never exists; Vault's window starts there
      dropped.push_back(v);
    }
  }
  oldest_version = last_dropped + 1;
  return dropped;
}

std::string MetadataStorageKey(std::string_view key) { return kMetadataPrefix + std::string(key); }

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

Result<std::shared_ptr<const KeyMetadata>> LoadKeyMetadata(MetadataCache& cache,
                                                           storage::Backend& storage,
                                                           std::string_view key) {
  std::string storage_key = MetadataStorageKey(key);
  Result<std::string> bytes = storage.Get(storage_key);
  if (bytes.status().IsNotFound()) {
    return std::shared_ptr<const KeyMetadata>();
  }
  if (!bytes.ok()) {
    return bytes.status();
  }
  if (std::shared_ptr<const KeyMetadata> cached = cache.Find(storage_key, *bytes)) {
    return cached;
  }
  COFFER_ASSIGN_OR_RETURN(KeyMetadata meta, DecodeKeyMetadata(*bytes, key));
  auto decoded = std::make_shared<const KeyMetadata>(std::move(meta));
  cache.Insert(storage_key, std::move(bytes).value(), decoded);
  return decoded;
}

Result<std::optional<KeyMetadata>> LoadKeyMetadataCopy(MetadataCache& cache,
                                                       storage::Backend& storage,
                                                       std::string_view key) {
  COFFER_ASSIGN_OR_RETURN(std::shared_ptr<const KeyMetadata> meta,
                          LoadKeyMetadata(cache, storage, key));
  if (!meta) {
    return std::optional<KeyMetadata>();
  }
  return std::optional<KeyMetadata>(*meta);
}

Result<std::shared_ptr<const KeyMetadata>> StoreKeyMetadata(MetadataCache& cache,
                                                            storage::Backend& storage,
                                                            std::vector<storage::TxnOp> ops,
                                                            KeyMetadata meta) {
  COFFER_ASSIGN_OR_RETURN(std::string bytes, EncodeKeyMetadata(meta));
  std::string storage_key = MetadataStorageKey(meta.key);
  ops.push_back(storage::TxnOp::Put(storage_key, std::move(bytes)));
  COFFER_RETURN_IF_ERROR(storage.Transaction(ops));
  auto stored = std::make_shared<const KeyMetadata>(std::move(meta));
  // Only now: a failed transaction must leave no entry. The op's bytes are
  // exactly what storage holds, and Transaction took its own copy of them.
  cache.Insert(storage_key, std::move(ops.back().value), stored);
  return stored;
}

std::optional<int64_t> DeletionTimeFor(int64_t from_ns, const KvConfig& config,
                                       const KeyMetadata& meta) {
  if (config.DeleteVersionAfterDisabled()) {
    return std::nullopt;
  }
  int64_t mount = config.delete_version_after;
  int64_t key = meta.delete_version_after;
  if (mount == 0 && key == 0) {
    return std::nullopt;
  }
  int64_t after = key != 0 ? key : mount;
  if (mount != 0 && mount < after) {
    after = mount;
  }
  // Saturate rather than overflow for absurd durations.
  if (after > (std::numeric_limits<int64_t>::max() - std::max<int64_t>(from_ns, 0)) /
                  kNanosPerSecond) {
    return std::numeric_limits<int64_t>::max();
  }
  return from_ns + after * kNanosPerSecond;
}

std::string FormatTime(const std::optional<int64_t>& unix_nanos) {
  return unix_nanos ? core::framework::FormatRfc3339Nano(*unix_nanos) : std::string();
}

json CustomMetadataJson(const KeyMetadata& meta) {
  return meta.custom_metadata.empty() ? json(nullptr) : json(meta.custom_metadata);
}

json VersionResponseJson(uint64_t version, const VersionMetadata& vm, const KeyMetadata& meta) {
  // Member by member: a braced list would build a two-element array per
  // member first. Same object either way (members are kept sorted).
  json out = json::object();
  out.emplace("version", version);
  out.emplace("created_time", FormatTime(vm.created_ns));
  out.emplace("deletion_time", FormatTime(vm.deletion_ns));
  out.emplace("destroyed", vm.destroyed);
  out.emplace("custom_metadata", CustomMetadataJson(meta));
  return out;
}

}  // namespace coffer::engines::kv
