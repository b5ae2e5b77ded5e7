// The name → factory registry behind OpenBackend. Backends add themselves
// from static registrars (COFFER_REGISTER_STORAGE), which may run before
// main() in any order, so the map is a function-local static: it is built on
// first use, whichever translation unit gets there first.
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "storage/backend.h"

namespace coffer::storage {
namespace {

struct Registry {
  std::mutex mu;
  std::map<std::string, BackendFactory, std::less<>> factories;  // guarded by mu
};

Registry& GetRegistry() {
  static Registry* registry = new Registry();  // never destroyed: no exit-order issues
  return *registry;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) {
    if (!out.empty()) {
      out += ", ";
    }
    out += name;
  }
  return out;
}

}  // namespace

bool RegisterBackend(std::string_view name, BackendFactory factory) {
  Registry& registry = GetRegistry();
  std::lock_guard<std::mutex> lock(registry.mu);
  // The first registration wins; a duplicate is a programming error that the
  // registrar's `false` makes visible in tests.
  return registry.factories.emplace(std::string(name), factory).second;
}

Result<std::unique_ptr<Backend>> OpenBackend(std::string_view name, const BackendConfig& config) {
  BackendFactory factory = nullptr;
  {
    Registry& registry = GetRegistry();
    std::lock_guard<std::mutex> lock(registry.mu);
    auto it = registry.factories.find(name);
    if (it != registry.factories.end()) {
      factory = it->second;
    }
  }
  if (factory == nullptr) {
    return Status::InvalidArgument("unknown storage type \"" + std::string(name) +
                                   "\" (available: " + JoinNames(RegisteredBackends()) + ")");
  }
  auto backend = factory(config);
  if (!backend.ok()) {
    return backend.status().Annotate("storage \"" + std::string(name) + "\"");
  }
  return backend;
}

std::vector<std::string> RegisteredBackends() {
  Registry& registry = GetRegistry();
  std::lock_guard<std::mutex> lock(registry.mu);
  std::vector<std::string> names;
  names.reserve(registry.factories.size());
  for (const auto& entry : registry.factories) {
    names.push_back(entry.first);
  }
  return names;  // std::map iterates in sorted order
}

}  // namespace coffer::storage
