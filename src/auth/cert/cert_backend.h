// The cert auth method (Vault's builtin/credential/cert): trusted
// certificate roles (a CA or an exact client certificate, name constraints
// and token_* settings) and a login that verifies the TLS client
// certificate the listener passed on. Registered as "cert".
//
// A FrameworkEngine serves the paths; this class owns the role locks they
// refer to and lower-cases the lockout alias (the role name), as role
// names are. Thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "core/engine.h"
#include "core/framework/framework_engine.h"
#include "core/framework/key_locks.h"

namespace coffer::auth::cert {

class CertBackend : public core::Engine {
 public:
  // Create builds the engine; fails only if a path pattern does not compile.
  static Result<std::unique_ptr<CertBackend>> Create();

  Result<core::Response> Handle(const core::EngineRequest& request) override {
    return paths_->Handle(request);
  }
  Result<bool> Exists(const core::EngineRequest& request) override {
    return paths_->Exists(request);
  }
  std::string_view Type() const override { return "cert"; }
  bool IsLoginPath(std::string_view path) const override { return paths_->IsLoginPath(path); }
  std::string LoginAlias(const core::EngineRequest& request) const override;

 private:
  CertBackend(std::unique_ptr<core::framework::KeyLocks> locks,
              std::unique_ptr<core::framework::FrameworkEngine> paths)
      : locks_(std::move(locks)), paths_(std::move(paths)) {}

  // Declared before (destroyed after) the paths that hold a reference.
  const std::unique_ptr<core::framework::KeyLocks> locks_;
  const std::unique_ptr<core::framework::FrameworkEngine> paths_;
};

}  // namespace coffer::auth::cert
