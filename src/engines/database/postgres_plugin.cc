#include "engines/database/postgres_plugin.h"

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "engines/database/connection_pool.h"
#include "engines/database/postgres_conninfo.h"
#include "engines/database/postgres_connection.h"

namespace coffer::engines::database {
namespace {

constexpr std::string_view kName = kPostgresPlugin;
// SQLSTATE class 08 is "connection exception".
constexpr std::string_view kConnectionExceptionClass = "08";

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

// Scrub removes a password from a message in every form it may take there:
// as given, quoted into a literal (quotes doubled) and percent-encoded into a
// URL.
std::string Scrub(std::string text, const std::vector<const std::string*>& secrets) {
  for (const std::string* s : secrets) {
    std::string doubled;
    for (char c : *s) {
      doubled += c;
      if (c == '\'') {
        doubled += c;
      }
    }
    Redact(text, *s);
    Redact(text, doubled);
    Redact(text, PercentEncode(*s));
  }
  return text;
}

class PostgresPlugin final : public Plugin {
 public:
  explicit PostgresPlugin(ConnectionConfig config) : config_(std::move(config)) {
    ConnectionPool<PgConnection>::Options options;
    options.max_open = config_.max_open_connections;
    options.max_lifetime = std::chrono::seconds(config_.max_connection_lifetime);
    options.wait_timeout = std::chrono::seconds(config_.connect_timeout_seconds);
    pool_ = std::make_unique<ConnectionPool<PgConnection>>(options, [this] { return Open(); });
  }

  Status Verify() override {
    return Run(/*transaction=*/false, {}, [](PgConnection& conn, PgError* err) {
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
    return Run(true, {}, [&](PgConnection& conn, PgError* err) {
      std::string literal = conn.EscapeLiteral(username);
      std::string ident = conn.EscapeIdentifier(username);
      if (literal.empty() || ident.empty()) {
        err->message = "cannot quote the user name";
        return false;
      }
      int rows = 0;
      if (!conn.Exec("SELECT 1 FROM pg_roles WHERE rolname = " + literal, &rows, err)) {
        return false;
      }
      if (rows == 0) {
        return true;  // already gone: revocations are retried
      }
      // Sessions go first: a live session keeps working after its role is
      // dropped, and its locks would block DROP OWNED.
      if (!conn.Exec(TerminateSql(conn, literal), err)) {
        return false;
      }
      std::vector<std::string> queries = custom;
      if (queries.empty()) {
        // Ownerships and privileges live per database; the connected one is
        // the one roles are granted in here.
        queries = {"REASSIGN OWNED BY " + ident + " TO CURRENT_USER", "DROP OWNED BY " + ident,
                   "DROP ROLE IF EXISTS " + ident};
      }
      for (const std::string& q : queries) {
        if (!conn.Exec(q, err)) {
          return false;
        }
      }
      return true;
    });
  }

  Status SetPassword(const std::vector<std::string>& statements, const std::string& username,
                     const std::string& password) override {
    std::vector<std::string> custom = Render(statements, username, password, "");
    return Run(true, {&password}, [&](PgConnection& conn, PgError* err) {
      std::vector<std::string> queries = custom;
      if (queries.empty()) {
        std::string ident = conn.EscapeIdentifier(username);
        std::string literal = conn.EscapeLiteral(password);
        if (ident.empty() || literal.empty()) {
          err->message = "cannot quote the user name or password";
          return false;
        }
        queries = {"ALTER ROLE " + ident + " WITH PASSWORD " + literal};
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
  using Body = std::function<bool(PgConnection&, PgError*)>;

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

  // TerminateSql ends the user's other sessions; from PostgreSQL 14 on it
  // waits (up to 5 s) until they have exited, so the caller can rely on them
  // being gone.
  static std::string TerminateSql(PgConnection& conn, const std::string& literal) {
    std::string call = conn.server_version() >= 140000 ? "pg_terminate_backend(pid, 5000)"
                                                       : "pg_terminate_backend(pid)";
    return "SELECT " + call + " FROM pg_stat_activity WHERE usename = " + literal +
           " AND pid <> pg_backend_pid()";
  }

  Status RunAll(const std::vector<std::string>& queries,
                std::vector<const std::string*> secrets) {
    return Run(true, std::move(secrets), [&](PgConnection& conn, PgError* err) {
      for (const std::string& q : queries) {
        if (!conn.Exec(q, err)) {
          return false;
        }
      }
      return true;
    });
  }

  Result<std::unique_ptr<PgConnection>> Open() {
    std::string conninfo;
    int timeout = 0;
    std::string password;
    {
      std::lock_guard lock(mu_);
      conninfo = RenderPostgresConninfo(config_.connection_url, config_.username, config_.password);
      timeout = config_.connect_timeout_seconds;
      password = config_.password;
    }
    auto conn = PgConnection::Connect(conninfo, timeout);
    if (!conn.ok()) {
      return Status::Unavailable(std::string(kName) + ": cannot connect: " +
                                 Scrub(conn.status().message(), {&password}));
    }
    return conn;
  }

  // Run executes `body` on a pooled connection, inside BEGIN/COMMIT when
  // `transaction`; any failure rolls back and drops the connection. A pooled
  // connection found dead before anything ran on it (the server restarted)
  // empties the pool and is retried once on a fresh connection.
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
      PgError err;
      bool first_ok = transaction ? lease->Exec("BEGIN", &err) : body(*lease, &err);
      if (!first_ok && err.connection_lost && lease.reused() && attempt == 0) {
        lease.Discard();
        pool_->CloseAll();
        continue;
      }
      bool ok = first_ok && (!transaction || (body(*lease, &err) && lease->Exec("COMMIT", &err)));
      if (!ok) {
        lease.Discard();
        if (transaction && !err.connection_lost) {
          PgError ignored;
          (void)lease->Exec("ROLLBACK", &ignored);
        }
        return ToStatus(err, secrets);
      }
      return Status::Ok();
    }
  }

  static Status ToStatus(const PgError& err, const std::vector<const std::string*>& secrets) {
    std::string message = Scrub(err.message, secrets);
    if (err.connection_lost || err.sqlstate.starts_with(kConnectionExceptionClass)) {
      return Status::Unavailable(std::string(kName) + ": connection lost: " + message);
    }
    std::string state = err.sqlstate.empty() ? "" : " (SQLSTATE " + err.sqlstate + ")";
    return Status::InvalidArgument(std::string(kName) + ": " + message + state);
  }

  std::mutex mu_;
  ConnectionConfig config_;  // password guarded by mu_ (UpdateRootPassword)
  std::unique_ptr<ConnectionPool<PgConnection>> pool_;
};

}  // namespace

Result<std::unique_ptr<Plugin>> OpenPostgresPlugin(const ConnectionConfig& config) {
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
  std::string rendered = RenderPostgresConninfo(c.connection_url, c.username, c.password);
  Status valid = ValidatePostgresConninfo(rendered);
  if (!valid.ok()) {
    return Status::InvalidArgument(std::string(kName) + ": " + Scrub(valid.message(), {&c.password}));
  }
  return std::unique_ptr<Plugin>(new PostgresPlugin(std::move(c)));
}

}  // namespace coffer::engines::database
