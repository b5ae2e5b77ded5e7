// Registers the KV engine under "kv" (version from the mount's "version"
// option, 1 when absent, as Vault) and "kv-v2" (always version 2, Vault's
// shorthand).
#include "core/engine.h"
#include "engines/kv/v1/passthrough_backend.h"
#include "engines/kv/v2/versioned_backend.h"

namespace coffer::engines::kv {

namespace {

Result<std::unique_ptr<core::Engine>> NewKv(const core::EngineConfig& config) {
  auto it = config.options.find("version");
  std::string version = it == config.options.end() ? "" : it->second;
  if (version.empty() || version == "1") {
    return NewPassthroughBackend(config);
  }
  if (version == "2") {
    return NewVersionedBackend(config);
  }
  return Status::InvalidArgument("invalid kv version \"" + version + "\": use 1 or 2");
}

Result<std::unique_ptr<core::Engine>> NewKvV2(const core::EngineConfig& config) {
  return NewVersionedBackend(config);
}

}  // namespace

COFFER_REGISTER_ENGINE("kv", &NewKv);
COFFER_REGISTER_ENGINE("kv-v2", &NewKvV2);

}  // namespace coffer::engines::kv
