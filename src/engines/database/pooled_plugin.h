// PooledPlugin<Conn, Error>: the part of a database::Plugin that does not
// depend on the driver, shared by the PostgreSQL and MySQL plugins: the
// connection pool, the root credentials (UpdateRootPassword), statement
// rendering, Verify/CreateUser/RenewUser, and Run(), which executes a body
// on a pooled connection inside a transaction and retries once on a pooled
// connection the server closed meanwhile.
//
// A subclass supplies the driver: Open() (connect, with any password
// scrubbed from the error), ToStatus() (describe a failed command, with the
// given secrets scrubbed) and the statements with a driver-specific default
// (RevokeUser, SetPassword).
//
// Conn must have `bool Exec(const std::string& sql, Error* err)`; Error must
// be default-constructible and have `bool connection_lost` (set when the
// connection is unusable afterwards).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "engines/database/connection_pool.h"
#include "engines/database/plugin.h"

namespace coffer::engines::database {

// Passwords that an error message must not show.
using Secrets = std::vector<const std::string*>;

// Redact swaps every occurrence of `secret` in `text` for a marker.
inline void Redact(std::string& text, const std::string& secret) {
  static constexpr std::string_view kMarker = "[redacted]";
  if (secret.empty()) {
    return;
  }
  size_t pos = 0;
  while ((pos = text.find(secret, pos)) != std::string::npos) {
    text.replace(pos, secret.size(), kMarker);
    pos += kMarker.size();
  }
}

// CheckPoolConfig fills in the pool defaults of `config` (4 connections, a
// 5 s timeout) and refuses what no plugin can use; InvalidArgument prefixed
// with the plugin's `name`.
inline Status CheckPoolConfig(std::string_view name, ConnectionConfig* config) {
  if (config->connection_url.empty()) {
    return Status::InvalidArgument(std::string(name) + ": connection_url is required");
  }
  if (config->max_open_connections <= 0) {
    config->max_open_connections = 4;
  }
  if (config->connect_timeout_seconds <= 0) {
    config->connect_timeout_seconds = 5;
  }
  if (config->max_connection_lifetime < 0) {
    return Status::InvalidArgument(std::string(name) +
                                   ": max_connection_lifetime must not be negative");
  }
  return Status::Ok();
}

template <typename Conn, typename Error>
class PooledPlugin : public Plugin {
 public:
  Status Verify() override {
    return Run(/*transaction=*/false, {},
               [](Conn& conn, Error* err) { return conn.Exec("SELECT 1", err); });
  }

  Status CreateUser(const std::vector<std::string>& statements, const std::string& username,
                    const std::string& password, const std::string& expiration) override {
    std::vector<std::string> queries = Render(statements, username, password, expiration);
    if (queries.empty()) {
      return Status::InvalidArgument(std::string(name_) + ": creation_statements are empty");
    }
    return RunAll(queries, {&password});
  }

  Status RenewUser(const std::vector<std::string>& statements, const std::string& username,
                   const std::string& expiration) override {
    std::vector<std::string> queries = Render(statements, username, "", expiration);
    if (queries.empty()) {
      return Status::Ok();
    }
    return RunAll(queries, {});
  }

  void UpdateRootPassword(const std::string& password) override {
    {
      std::lock_guard lock(mu_);
      config_.password = password;
    }
    pool_->CloseAll();
  }

 protected:
  using Body = std::function<bool(Conn&, Error*)>;

  // `name` prefixes error messages; `begin_sql` starts a transaction.
  PooledPlugin(std::string_view name, std::string_view begin_sql, ConnectionConfig config)
      : name_(name), begin_sql_(begin_sql), config_(std::move(config)) {
    typename ConnectionPool<Conn>::Options options;
    options.max_open = config_.max_open_connections;
    options.max_lifetime = std::chrono::seconds(config_.max_connection_lifetime);
    options.wait_timeout = std::chrono::seconds(config_.connect_timeout_seconds);
    pool_ = std::make_unique<ConnectionPool<Conn>>(options, [this] { return Open(Config()); });
  }

  // Open connects with `config` (a copy taken under the lock); the error
  // names the plugin and shows no password.
  virtual Result<std::unique_ptr<Conn>> Open(const ConnectionConfig& config) = 0;

  // ToStatus describes a failed command without any of `secrets`.
  virtual Status ToStatus(const Error& err, const Secrets& secrets) const = 0;

  // Render splits and templates a statement list into single statements.
  static std::vector<std::string> Render(const std::vector<std::string>& statements,
                                         const std::string& username, const std::string& password,
                                         const std::string& expiration) {
    std::vector<std::string> out;
    for (const std::string& entry : statements) {
      for (const std::string& piece : SplitStatements(entry)) {
        out.push_back(RenderStatement(piece, username, password, expiration));
      }
    }
    return out;
  }

  // ExecAll runs `queries` in order, stopping at the first failure.
  static bool ExecAll(Conn& conn, const std::vector<std::string>& queries, Error* err) {
    for (const std::string& q : queries) {
      if (!conn.Exec(q, err)) {
        return false;
      }
    }
    return true;
  }

  Status RunAll(const std::vector<std::string>& queries, Secrets secrets) {
    return Run(/*transaction=*/true, std::move(secrets),
               [&](Conn& conn, Error* err) { return ExecAll(conn, queries, err); });
  }

  // Run executes `body` on a pooled connection, inside a transaction when
  // `transaction`; a failure rolls back and drops the connection. A pooled
  // connection found dead before anything ran on it (a server restart, an
  // idle timeout) empties the pool and is retried once on a fresh one. The
  // error shows neither `secrets` nor the root password.
  Status Run(bool transaction, Secrets secrets, const Body& body) {
    std::string root_password = Config().password;
    secrets.push_back(&root_password);
    for (int attempt = 0;; ++attempt) {
      auto lease_or = pool_->Acquire();
      if (!lease_or.ok()) {
        return lease_or.status();
      }
      auto& lease = *lease_or;
      Error err;
      bool first_ok = transaction ? lease->Exec(begin_sql_, &err) : body(*lease, &err);
      if (!first_ok && err.connection_lost && lease.reused() && attempt == 0) {
        lease.Discard();
        pool_->CloseAll();
        continue;
      }
      bool ok = first_ok && (!transaction || (body(*lease, &err) && lease->Exec("COMMIT", &err)));
      if (!ok) {
        lease.Discard();
        if (transaction && !err.connection_lost) {
          Error ignored;
          (void)lease->Exec("ROLLBACK", &ignored);
        }
        return ToStatus(err, secrets);
      }
      return Status::Ok();
    }
  }

 private:
  ConnectionConfig Config() {
    std::lock_guard lock(mu_);
    return config_;
  }

  const std::string_view name_;
  const std::string begin_sql_;
  std::mutex mu_;
  ConnectionConfig config_;  // password guarded by mu_ (UpdateRootPassword)
  std::unique_ptr<ConnectionPool<Conn>> pool_;
};

}  // namespace coffer::engines::database
