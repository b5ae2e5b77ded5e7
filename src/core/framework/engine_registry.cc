// The engine registry declared in core/engine.h. Factories register from
// static initializers in each engine's folder, before main, so the map is
// a function-local static (constructed on first use, whatever the order of
// static initialization) behind a mutex.
#include <mutex>

#include "core/engine.h"

namespace coffer::core {

namespace {

struct Registry {
  std::mutex mu;
  std::map<std::string, EngineFactory, std::less<>> factories;
};

Registry& GetRegistry() {
  static Registry registry;
  return registry;
}

}  // namespace

bool RegisterEngine(std::string_view type, EngineFactory factory) {
  Registry& registry = GetRegistry();
  std::lock_guard lock(registry.mu);
  return registry.factories.emplace(std::string(type), factory).second;
}

Result<std::unique_ptr<Engine>> CreateEngine(const EngineConfig& config) {
  EngineFactory factory = nullptr;
  {
    Registry& registry = GetRegistry();
    std::lock_guard lock(registry.mu);
    auto it = registry.factories.find(config.type);
    if (it != registry.factories.end()) {
      factory = it->second;
    }
  }
  if (factory == nullptr) {
    return Status::InvalidArgument("unknown secrets engine type \"" + config.type + "\"");
  }
  return factory(config);
}

std::vector<std::string> RegisteredEngines() {
  Registry& registry = GetRegistry();
  std::lock_guard lock(registry.mu);
  std::vector<std::string> types;
  for (const auto& [type, factory] : registry.factories) {
    types.push_back(type);
  }
  return types;
}

}  // namespace coffer::core
