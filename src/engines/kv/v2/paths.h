// The paths of the KV v2 engine, one file per resource as in Vault's
// plugin (path_config.go, path_data.go, ...). Handlers that read, modify
// and write a key's metadata hold that key's lock from `mount.locks`, so
// concurrent writes to one key serialize; the mount-wide config is read
// unlocked (it is one storage value, written whole). Metadata and config
// are loaded through the mount's caches (mount_state.h).
#pragma once

#include <memory>
#include <vector>

#include "core/framework/path.h"
#include "engines/kv/v2/key_metadata.h"
#include "engines/kv/v2/kv_config.h"
#include "engines/kv/v2/mount_state.h"

namespace coffer::engines::kv {

core::framework::PathSpec PathConfig(MountPtr mount);
core::framework::PathSpec PathData(MountPtr mount);
core::framework::PathSpec PathMetadata(MountPtr mount);
core::framework::PathSpec PathSubkeys(MountPtr mount);
// delete/<path> and undelete/<path>.
std::vector<core::framework::PathSpec> PathsDelete(MountPtr mount);
core::framework::PathSpec PathDestroy(MountPtr mount);
// Any other path: a 404 that points v1 habits at the v2 API.
core::framework::PathSpec PathInvalid();

// Handlers defined apart from their path's file.
core::framework::Handler DataPatchHandler(MountPtr mount);  // path_data_patch.cc
core::framework::Handler MetadataListHandler();             // path_metadata_list.cc

// Shared by the data handlers.

// CheckCas applies options.cas and cas_required (Vault's
// validateCheckAndSetOption); InvalidArgument when the write must not go on.
Status CheckCas(const core::framework::FieldData& fields, const KvConfig& config,
                const KeyMetadata& meta);

// WriteNewVersion stores `data` as the key's next version in one
// transaction (new version, metadata, versions trimmed by max_versions),
// leaves the new metadata in the mount's cache (StoreKeyMetadata) and
// returns the write response. The caller holds the key's lock.
Result<core::Response> WriteNewVersion(MountState& mount, const core::EngineRequest& request,
                                       const KvConfig& config, KeyMetadata meta,
                                       const nlohmann::json& data);

// KeyExistsCheck answers Exists for paths whose "path" names a key.
core::framework::ExistenceCheck KeyExistsCheck(MountPtr mount);

// NowNanos is the request clock's time in Unix nanoseconds.
int64_t NowNanos(const core::EngineRequest& request);

}  // namespace coffer::engines::kv
