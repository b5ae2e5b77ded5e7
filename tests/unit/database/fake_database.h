// FakeDatabase: an in-memory stand-in for PostgreSQL/MySQL behind the
// database::Plugin contract, so the engine's behaviour (users, passwords,
// rotations, failures) is tested without a live database. The engine type
// "database-fake" is the real engine with this plugin.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/engine.h"
#include "engines/database/database_backend.h"
#include "engines/database/db_config.h"
#include "engines/database/plugin.h"

namespace coffer::engines::database::testing {

struct FakeDatabase {
  std::mutex mu;
  bool up = true;
  std::map<std::string, std::string> users;  // user → password
  std::map<std::string, std::string> valid_until;
  std::vector<std::string> log;  // "create u", "revoke u <n stmts>", "renew u <exp>", ...
  Status fail_create = Status::Ok();
  // Set the password, then report a lost connection: the outcome a client
  // cannot tell from a failure.
  bool set_password_applies_then_fails = false;
  int opened = 0;
  int live = 0;

  void Reset() {
    std::lock_guard<std::mutex> lock(mu);
    up = true;
    users = {{"admin", "rootpw"}};
    valid_until.clear();
    log.clear();
    fail_create = Status::Ok();
    set_password_applies_then_fails = false;
    opened = 0;
    live = 0;
  }
  std::string Password(const std::string& user) {
    std::lock_guard<std::mutex> lock(mu);
    auto it = users.find(user);
    return it == users.end() ? "" : it->second;
  }
  bool CanLogin(const std::string& user, const std::string& password) {
    std::lock_guard<std::mutex> lock(mu);
    auto it = users.find(user);
    return it != users.end() && it->second == password;
  }
};

inline FakeDatabase& Fake() {
  static FakeDatabase db;
  return db;
}

class FakePlugin : public Plugin {
 public:
  explicit FakePlugin(ConnectionConfig config) : config_(std::move(config)) {
    std::lock_guard<std::mutex> lock(Fake().mu);
    ++Fake().opened;
    ++Fake().live;
  }
  ~FakePlugin() override {
    std::lock_guard<std::mutex> lock(Fake().mu);
    --Fake().live;
  }

  Status Verify() override {
    std::lock_guard<std::mutex> lock(Fake().mu);
    return Login();
  }
  Status CreateUser(const std::vector<std::string>& statements, const std::string& username,
                    const std::string& password, const std::string& expiration) override {
    std::lock_guard<std::mutex> lock(Fake().mu);
    COFFER_RETURN_IF_ERROR(Login());
    if (statements.empty()) {
      return Status::InvalidArgument("no creation statements");
    }
    if (!Fake().fail_create.ok()) {
      return Fake().fail_create;
    }
    Fake().users[username] = password;
    Fake().valid_until[username] = expiration;
    Fake().log.push_back("create " + username);
    return Status::Ok();
  }
  Status RenewUser(const std::vector<std::string>& statements, const std::string& username,
                   const std::string& expiration) override {
    std::lock_guard<std::mutex> lock(Fake().mu);
    COFFER_RETURN_IF_ERROR(Login());
    if (!statements.empty()) {
      Fake().valid_until[username] = expiration;
      Fake().log.push_back("renew " + username + " " + statements.front());
    }
    return Status::Ok();
  }
  Status RevokeUser(const std::vector<std::string>& statements,
                    const std::string& username) override {
    std::lock_guard<std::mutex> lock(Fake().mu);
    COFFER_RETURN_IF_ERROR(Login());
    Fake().users.erase(username);
    Fake().log.push_back("revoke " + username + " " + std::to_string(statements.size()));
    return Status::Ok();
  }
  Status SetPassword(const std::vector<std::string>& statements, const std::string& username,
                     const std::string& password) override {
    (void)statements;
    std::lock_guard<std::mutex> lock(Fake().mu);
    COFFER_RETURN_IF_ERROR(Login());
    if (Fake().users.count(username) == 0) {
      return Status::InvalidArgument("role \"" + username + "\" does not exist");
    }
    Fake().users[username] = password;
    if (Fake().set_password_applies_then_fails) {
      return Status::Unavailable("server closed the connection unexpectedly");
    }
    return Status::Ok();
  }
  void UpdateRootPassword(const std::string& password) override {
    std::lock_guard<std::mutex> lock(Fake().mu);
    config_.password = password;
  }

 private:
  // Login checks the pool's credentials; Fake().mu is held.
  Status Login() const {
    if (!Fake().up) {
      return Status::Unavailable("connection refused");
    }
    auto it = Fake().users.find(config_.username);
    if (it == Fake().users.end() || it->second != config_.password) {
      return Status::PermissionDenied("password authentication failed for user \"" +
                                      config_.username + "\"");
    }
    return Status::Ok();
  }

  ConnectionConfig config_;
};

inline Result<std::unique_ptr<Plugin>> OpenFakePlugin(const ConnectionConfig& config) {
  if (!IsSupportedPlugin(config.plugin_name)) {
    return Status::InvalidArgument("unsupported plugin_name");
  }
  return std::unique_ptr<Plugin>(new FakePlugin(config));
}

}  // namespace coffer::engines::database::testing
