// The userpass auth method (Vault's builtin/credential/userpass): users with
// a password and token_* settings, and a login path that checks the
// password and hands the core a LoginGrant. Registered as "userpass".
//
// A FrameworkEngine serves the paths; this class wraps it only so the
// login lockout alias is the normalized (lower-cased) username, as Vault
// counts "Bob" and "bob" as one user. Thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "core/engine.h"
#include "core/framework/framework_engine.h"
#include "core/framework/key_locks.h"

namespace coffer::auth::userpass {

class UserpassBackend : public core::Engine {
 public:
  // Create builds the engine; fails only if a path pattern does not compile.
  static Result<std::unique_ptr<UserpassBackend>> Create();

  Result<core::Response> Handle(const core::EngineRequest& request) override {
    return paths_->Handle(request);
  }
  Result<bool> Exists(const core::EngineRequest& request) override {
    return paths_->Exists(request);
  }
  std::string_view Type() const override { return "userpass"; }
  bool IsLoginPath(std::string_view path) const override { return paths_->IsLoginPath(path); }
  std::string LoginAlias(const core::EngineRequest& request) const override;

 private:
  UserpassBackend(std::unique_ptr<core::framework::KeyLocks> locks,
                  std::unique_ptr<core::framework::FrameworkEngine> paths)
      : locks_(std::move(locks)), paths_(std::move(paths)) {}

  // Serializes read-modify-write of one user; the paths' handlers hold a
  // reference, so it is declared (and destroyed) around them.
  const std::unique_ptr<core::framework::KeyLocks> locks_;
  const std::unique_ptr<core::framework::FrameworkEngine> paths_;
};

}  // namespace coffer::auth::userpass
