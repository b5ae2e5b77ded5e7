// subkeys/<path>: the shape of a version's data with every value replaced
// by null, so a client can see which keys exist without reading secrets.
#include <shared_mutex>

#include "core/framework/path_pattern.h"
#include "core/framework/response_util.h"
#include "engines/kv/v2/paths.h"
#include "engines/kv/v2/version_store.h"

namespace coffer::engines::kv {

namespace {

using core::EngineRequest;
using core::Operation;
using core::Response;
using core::framework::FieldData;
using core::framework::FieldType;
using nlohmann::json;

constexpr int kHttpNotFound = 404;
// Vault's cap on how deep the structure is walked, whatever "depth" says.
constexpr int64_t kMaxSubkeysDepth = 100;

// StripValues replaces every leaf (a non-object, an empty object, or an
// object at the depth limit) by null, in place. Iterative, so deeply
// nested data cannot exhaust the stack.
void StripValues(json* root, int64_t max_depth) {
  std::vector<std::pair<json*, int64_t>> pending = {{root, 1}};
  while (!pending.empty()) {
    auto [object, depth] = pending.back();
    pending.pop_back();
    for (auto it = object->begin(); it != object->end(); ++it) {
      json& value = it.value();
      if (value.is_object() && !value.empty() && depth + 1 <= max_depth) {
        pending.emplace_back(&value, depth + 1);
      } else {
        value = nullptr;
      }
    }
  }
}

Result<Response> ReadSubkeys(MountState& mount, const EngineRequest& request,
                             const FieldData& fields) {
  std::string key = fields.GetString("path");
  int64_t depth = fields.GetInt("depth");
  if (depth < 0) {
    return Status::InvalidArgument("depth must be a non-negative integer");
  }
  if (depth == 0 || depth > kMaxSubkeysDepth) {
    depth = kMaxSubkeysDepth;
  }
  std::shared_lock lock(mount.locks.For(key));
  COFFER_ASSIGN_OR_RETURN(std::shared_ptr<const KeyMetadata> meta,
                          LoadKeyMetadata(mount.metadata, *request.storage, key));
  if (!meta) {
    return core::framework::NotFoundNoMessage();
  }
  uint64_t number = meta->current_version;
  if (fields.GetInt("version") > 0) {
    number = static_cast<uint64_t>(fields.GetInt("version"));
  }
  auto vm = meta->versions.find(number);
  if (vm == meta->versions.end()) {
    return core::framework::NotFoundNoMessage();
  }
  json body = {{"subkeys", nullptr},
               {"metadata", VersionResponseJson(number, vm->second, *meta)}};
  if (!vm->second.ReadableAt(NowNanos(request))) {
    return core::framework::JsonResponseWithStatus(std::move(body), kHttpNotFound);
  }
  COFFER_ASSIGN_OR_RETURN(json data, LoadVersionData(*request.storage, key, number));
  StripValues(&data, depth);
  body["subkeys"] = std::move(data);
  return Response::Data(std::move(body));
}

}  // namespace

core::framework::PathSpec PathSubkeys(MountPtr mount) {
  core::framework::PathSpec spec;
  spec.pattern = "subkeys/" + core::framework::MatchAll("path");
  spec.fields = {
      {"path", {FieldType::kString, {}, false, "Location of the secret."}},
      {"version",
       {FieldType::kInt, {}, false,
        "Specifies which version to retrieve. If not provided, the current version will be "
        "used."}},
      {"depth",
       {FieldType::kInt, {}, false,
        "Specifies the deepest nesting level to provide in the output. The default value 0 "
        "will not impose any limit."}},
  };
  spec.operations = {
      {Operation::kRead,
       [mount](const EngineRequest& r, const FieldData& f) { return ReadSubkeys(*mount, r, f); }},
  };
  spec.help_synopsis =
      "Read the structure of a secret entry from the Key-Value store with the values removed.";
  spec.help_description = R"(
This path provides the subkeys that exist within a secret entry that exists
at the provided path. The secret entry at this path will be retrieved and
stripped of all data by replacing underlying non-map values with null.

The "version" parameter specifies which version of the secret to read when
generating the subkeys structure. If not provided, the current version will be used.
)";
  return spec;
}

}  // namespace coffer::engines::kv
