#include "engines/database/mysql_plugin.h"

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "engines/database/connection_pool.h"
#include "engines/database/mysql_connection.h"
#include "engines/database/mysql_dsn.h"

namespace coffer::engines::database {
namespace {

constexpr std::string_view kName = kMysqlPlugin;

// Redact swaps every occurrence of `secret` for a marker.
void Redact(std::string& text, const std::string& secret) {
  if (secret.empty()) {
    return;
  }
  size_t pos = 0;
  while ((pos = text.find(secret, pos)) != std::string::npos) {
    text.replace(pos, secret.size(), "[redacted]");
    pos += 10;
  }
}

// Scrub removes a password from a message as given and as
// mysql_real_escape_string would have quoted it into a statement.
std::string Scrub(std::string text, const std::vector<const std::string*>& secrets) {
  for (const std::string* s : secrets) {
    std::string escaped;
    for (char c : *s) {
      if (c == '\'' || c == '"' || c == '\\') {
        escaped += '\\';
      }
      escaped += c;
    }
    Redact(text, *s);
    Redact(text, escaped);
  }
  return text;
}

class MysqlPlugin final : public Plugin {
 public:
  MysqlPlugin(ConnectionConfig config, MysqlDsn dsn)
      : config_(std::move(config)), dsn_(std::move(dsn)) {
    ConnectionPool<MysqlConnection>::Options options;
    options.max_open = config_.max_open_connections;
    options.max_lifetime = std::chrono::seconds(config_.max_connection_lifetime);
    options.wait_timeout = std::chrono::seconds(config_.connect_timeout_seconds);
    pool_ = std::make_unique<ConnectionPool<MysqlConnection>>(options, [this] { return Open(); });
  }

  Status Verify() override {
    return Run(false, {}, [](MysqlConnection& conn, MysqlError* err) {
      return conn.Exec("SELECT 1", err);
    });
  }

  Status CreateUser(const std::vector<std::string>& statements, const std::string& username,
                    const std::string& password, const std::string& expiration) override {
    std::vector<std::string> queries = Render(statements, username, password, expiration);
    if (queries.empty()) {
      return Status::InvalidArgument(std::string(kName) + ": creation_statements are empty");
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

  Status RevokeUser(const std::vector<std::string>& statements,
                    const std::string& username) override {
    std::vector<std::string> custom = Render(statements, username, "", "");
    return Run(true, {}, [&](MysqlConnection& conn, MysqlError* err) {
      std::string user = conn.Quote(username);
      std::vector<std::string> ids;
      if (!custom.empty()) {
        // Custom statements name hosts we cannot know; skip them only when
        // no account of that name is left, so a retried revocation of a
        // dropped user succeeds.
        if (!conn.QueryColumn("SELECT User FROM mysql.user WHERE User = " + user, &ids, err)) {
          return false;
        }
        if (ids.empty()) {
          return true;
        }
      }
      std::vector<std::string> queries = custom;
      if (queries.empty()) {
        queries = {"DROP USER IF EXISTS " + user + "@'%'"};
      }
      for (const std::string& q : queries) {
        if (!conn.Exec(q, err)) {
          return false;
        }
      }
      // DROP USER leaves open sessions running; end them now that no new
      // login can succeed. Best effort: a session may end on its own
      // between the lookup and the KILL.
      if (conn.QueryColumn("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = " + user +
                               " AND ID <> CONNECTION_ID()",
                           &ids, err)) {
        for (const std::string& id : ids) {
          MysqlError ignored;
          (void)conn.Exec("KILL CONNECTION " + id, &ignored);
        }
      }
      *err = MysqlError{};
      return true;
    });
  }

  Status SetPassword(const std::vector<std::string>& statements, const std::string& username,
                     const std::string& password) override {
    std::vector<std::string> custom = Render(statements, username, password, "");
    return Run(true, {&password}, [&](MysqlConnection& conn, MysqlError* err) {
      std::vector<std::string> queries = custom;
      if (queries.empty()) {
        queries = {"ALTER USER " + conn.Quote(username) + "@'%' IDENTIFIED BY " +
                   conn.Quote(password)};
      }
      for (const std::string& q : queries) {
        if (!conn.Exec(q, err)) {
          return false;
        }
      }
      return true;
    });
  }

  void UpdateRootPassword(const std::string& password) override {
    {
      std::lock_guard lock(mu_);
      config_.password = password;
    }
    pool_->CloseAll();
  }

 private:
  using Body = std::function<bool(MysqlConnection&, MysqlError*)>;

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

  Status RunAll(const std::vector<std::string>& queries,
                std::vector<const std::string*> secrets) {
    return Run(true, std::move(secrets), [&](MysqlConnection& conn, MysqlError* err) {
      for (const std::string& q : queries) {
        if (!conn.Exec(q, err)) {
          return false;
        }
      }
      return true;
    });
  }

  Result<std::unique_ptr<MysqlConnection>> Open() {
    std::string user;
    std::string password;
    int timeout = 0;
    {
      std::lock_guard lock(mu_);
      user = RenderStatement(dsn_.user, config_.username, config_.password, "");
      password = RenderStatement(dsn_.password, config_.username, config_.password, "");
      timeout = config_.connect_timeout_seconds;
    }
    auto conn = MysqlConnection::Connect(dsn_, user, password, timeout);
    if (!conn.ok()) {
      return Status::Unavailable(std::string(kName) + ": cannot connect: " +
                                 Scrub(conn.status().message(), {&password}));
    }
    return conn;
  }

  // Run executes `body` on a pooled connection, inside START TRANSACTION /
  // COMMIT when `transaction`; a failure rolls back and drops the
  // connection. A pooled connection found dead before anything ran on it
  // (server restart, wait_timeout) empties the pool and is retried once.
  Status Run(bool transaction, std::vector<const std::string*> secrets, const Body& body) {
    std::string root_password;
    {
      std::lock_guard lock(mu_);
      root_password = config_.password;
    }
    secrets.push_back(&root_password);
    for (int attempt = 0;; ++attempt) {
      auto lease_or = pool_->Acquire();
      if (!lease_or.ok()) {
        return lease_or.status();
      }
      auto& lease = *lease_or;
      MysqlError err;
      bool first_ok = transaction ? lease->Exec("START TRANSACTION", &err) : body(*lease, &err);
      if (!first_ok && err.connection_lost && lease.reused() && attempt == 0) {
        lease.Discard();
        pool_->CloseAll();
        continue;
      }
      bool ok = first_ok && (!transaction || (body(*lease, &err) && lease->Exec("COMMIT", &err)));
      if (!ok) {
        lease.Discard();
        if (transaction && !err.connection_lost) {
          MysqlError ignored;
          (void)lease->Exec("ROLLBACK", &ignored);
        }
        return ToStatus(err, secrets);
      }
      return Status::Ok();
    }
  }

  static Status ToStatus(const MysqlError& err, const std::vector<const std::string*>& secrets) {
    std::string message = Scrub(err.message, secrets);
    if (err.connection_lost) {
      return Status::Unavailable(std::string(kName) + ": connection lost: " + message);
    }
    return Status::InvalidArgument(std::string(kName) + ": " + message + " (error " +
                                   std::to_string(err.code) + ")");
  }

  std::mutex mu_;
  ConnectionConfig config_;  // password guarded by mu_ (UpdateRootPassword)
  const MysqlDsn dsn_;       // credentials still hold their placeholders
  std::unique_ptr<ConnectionPool<MysqlConnection>> pool_;
};

}  // namespace

Result<std::unique_ptr<Plugin>> OpenMysqlPlugin(const ConnectionConfig& config) {
  ConnectionConfig c = config;
  if (c.connection_url.empty()) {
    return Status::InvalidArgument(std::string(kName) + ": connection_url is required");
  }
  if (c.max_open_connections <= 0) {
    c.max_open_connections = 4;
  }
  if (c.connect_timeout_seconds <= 0) {
    c.connect_timeout_seconds = 5;
  }
  if (c.max_connection_lifetime < 0) {
    return Status::InvalidArgument(std::string(kName) +
                                   ": max_connection_lifetime must not be negative");
  }
  auto dsn = ParseMysqlDsn(c.connection_url);
  if (!dsn.ok()) {
    return Status::InvalidArgument(std::string(kName) + ": connection_url: " +
                                   Scrub(dsn.status().message(), {&c.password}));
  }
  return std::unique_ptr<Plugin>(new MysqlPlugin(std::move(c), std::move(dsn).value()));
}

}  // namespace coffer::engines::database
