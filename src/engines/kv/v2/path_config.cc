// config: the mount-wide max_versions, cas_required and delete_version_after.
#include <limits>

#include "core/framework/time_format.h"
#include "engines/kv/v2/paths.h"

namespace coffer::engines::kv {

namespace {

using core::EngineRequest;
using core::Operation;
using core::Response;
using core::framework::FieldData;
using core::framework::FieldType;

Result<Response> ReadConfig(MountState& mount, const EngineRequest& request, const FieldData&) {
  COFFER_ASSIGN_OR_RETURN(KvConfig config, LoadConfig(mount.config, *request.storage));
  return Response::Data({
      {"max_versions", config.max_versions},
      {"cas_required", config.cas_required},
      {"delete_version_after",
       core::framework::FormatGoDuration(config.delete_version_after)},
  });
}

Result<Response> WriteConfig(MountState& mount, const EngineRequest& request,
                             const FieldData& fields) {
  bool has_max = fields.Provided("max_versions");
  bool has_cas = fields.Provided("cas_required");
  bool has_dva = fields.Provided("delete_version_after");
  if (!has_max && !has_cas && !has_dva) {
    return Response::NoContent();
  }
  COFFER_ASSIGN_OR_RETURN(KvConfig config, LoadConfig(mount.config, *request.storage));
  if (has_max) {
    int64_t max_versions = fields.GetInt("max_versions");
    if (max_versions < 0 || max_versions > std::numeric_limits<uint32_t>::max()) {
      return Status::InvalidArgument("max_versions must be between 0 and 4294967295");
    }
    config.max_versions = static_cast<uint32_t>(max_versions);
  }
  if (has_cas) {
    config.cas_required = fields.GetBool("cas_required");
  }
  if (has_dva) {
    // Negative disables delete_version_after on every key; Vault stores -1s.
    int64_t dva = fields.GetDuration("delete_version_after");
    config.delete_version_after = dva < 0 ? -1 : dva;
  }
  COFFER_RETURN_IF_ERROR(SaveConfig(*request.storage, config));
  return Response::NoContent();
}

}  // namespace

core::framework::PathSpec PathConfig(MountPtr mount) {
  core::framework::PathSpec spec;
  spec.pattern = "config$";
  spec.fields = {
      {"max_versions",
       {FieldType::kInt, {}, false, "The number of versions to keep for each key. Defaults to 10"}},
      {"cas_required",
       {FieldType::kBool, {}, false,
        "If true, the backend will require the cas parameter to be set for each write"}},
      {"delete_version_after",
       {FieldType::kSignedDuration, {}, false,
        "If set, the length of time before a version is deleted. A negative duration disables "
        "the use of delete_version_after on all keys. A zero duration clears the current "
        "setting. Accepts a Go duration format string."}},
  };
  spec.operations = {
      {Operation::kRead,
       [mount](const EngineRequest& r, const FieldData& f) { return ReadConfig(*mount, r, f); }},
      {Operation::kUpdate,
       [mount](const EngineRequest& r, const FieldData& f) { return WriteConfig(*mount, r, f); }},
  };
  spec.help_synopsis = "Configures settings for the KV store";
  spec.help_description = R"(
This path configures backend level settings that are applied to every key in the
key-value store. This parameter accepts:

	* max_versions (int) - The number of versions to keep for each key. Defaults
	  to 10

	* cas_required (bool) - If true, the backend will require the cas parameter
	  to be set for each write

	* delete_version_after (duration) - If set, the length of time before a
	  version is deleted. A negative duration disables the use of
	  delete_version_after on all keys. A zero duration clears the current
	  setting. Accepts a Go duration format string.
)";
  return spec;
}

}  // namespace coffer::engines::kv
