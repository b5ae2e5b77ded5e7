// ForwardingEngine: an engine served by a FrameworkEngine it owns, for the
// auth methods that keep something around their paths: the per-key locks
// their handlers hold a reference to, or a login alias worked out beyond
// what the request names. Requests go to the paths unchanged; a subclass
// overrides only what it adds (LoginAlias).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "core/engine.h"
#include "core/framework/framework_engine.h"
#include "core/framework/key_locks.h"

namespace coffer::core::framework {

class ForwardingEngine : public Engine {
 public:
  Result<Response> Handle(const EngineRequest& request) override {
    return paths_->Handle(request);
  }
  Result<bool> Exists(const EngineRequest& request) override { return paths_->Exists(request); }
  Result<bool> ExistsAndPrepare(EngineRequest* request) override {
    return paths_->ExistsAndPrepare(request);
  }
  std::string_view Type() const override { return paths_->Type(); }
  bool IsLoginPath(std::string_view path) const override { return paths_->IsLoginPath(path); }
  std::string LoginAlias(const EngineRequest& request) const override {
    return paths_->LoginAlias(request);
  }

 protected:
  // `locks` may be null (paths that lock nothing).
  ForwardingEngine(std::unique_ptr<KeyLocks> locks, std::unique_ptr<FrameworkEngine> paths)
      : locks_(std::move(locks)), paths_(std::move(paths)) {}

  const FrameworkEngine& paths() const { return *paths_; }

 private:
  // Declared before (destroyed after) the paths whose handlers hold a
  // reference to them.
  const std::unique_ptr<KeyLocks> locks_;
  const std::unique_ptr<FrameworkEngine> paths_;
};

}  // namespace coffer::core::framework
