#include "engines/kv/v2/versioned_backend.h"

#include "core/framework/framework_engine.h"
#include "engines/kv/v2/paths.h"

namespace coffer::engines::kv {

namespace {

constexpr char kBackendHelp[] = R"(
This backend provides a versioned key-value store. The kv backend reads and
writes arbitrary secrets to the storage backend. The secrets are encrypted
before they reach storage, and the backend never sees them in the clear.
Key names must be strings; data/<path> holds versions of a secret,
metadata/<path> its settings and history.
)";

}  // namespace

Result<std::unique_ptr<core::Engine>> NewVersionedBackend(const core::EngineConfig&) {
  auto mount = std::make_shared<MountState>();
  std::vector<core::framework::PathSpec> paths;
  paths.push_back(PathConfig(mount));
  paths.push_back(PathData(mount));
  paths.push_back(PathMetadata(mount));
  paths.push_back(PathSubkeys(mount));
  for (core::framework::PathSpec& spec : PathsDelete(mount)) {
    paths.push_back(std::move(spec));
  }
  paths.push_back(PathDestroy(mount));
  paths.push_back(PathInvalid());
  // Vault records a KV v2 mount as type "kv" with version 2, whichever name
  // created it.
  COFFER_ASSIGN_OR_RETURN(
      std::unique_ptr<core::framework::FrameworkEngine> engine,
      core::framework::FrameworkEngine::Create("kv", std::move(paths), kBackendHelp));
  // Reads only read storage: served on an IO thread, audited after.
  // Writes only write storage: they run while their request entry is
  // written, their commit held back until it is durable.
  engine->SetReadsWithoutBlocking();
  engine->SetWritesOnlyStorage();
  return std::unique_ptr<core::Engine>(std::move(engine));
}

}  // namespace coffer::engines::kv
