// The mounts every coffer has, which need the Core itself rather than a
// storage view: the system backend (sys/) and the token store's API
// (auth/token/). Vault keeps these in its core package for the same reason.
#pragma once

#include <memory>

#include "base/status.h"
#include "core/engine.h"

namespace coffer::core {

class Core;

Result<std::unique_ptr<Engine>> MakeSystemBackend(Core& core);
Result<std::unique_ptr<Engine>> MakeTokenBackend(Core& core);

}  // namespace coffer::core
