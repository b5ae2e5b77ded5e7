#include "engines/database/postgres_plugin.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engines/database/pooled_plugin.h"
#include "engines/database/postgres_conninfo.h"
#include "engines/database/postgres_connection.h"

namespace coffer::engines::database {
namespace {

constexpr std::string_view kName = kPostgresPlugin;
// SQLSTATE class 08 is "connection exception".
constexpr std::string_view kConnectionExceptionClass = "08";

// Scrub removes a password from a message in every form it may take there:
// as given, quoted into a literal (quotes doubled) and percent-encoded into a
// URL.
std::string Scrub(std::string text, const Secrets& secrets) {
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

class PostgresPlugin final : public PooledPlugin<PgConnection, PgError> {
 public:
  explicit PostgresPlugin(ConnectionConfig config)
      : PooledPlugin(kName, "BEGIN", std::move(config)) {}

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
      return ExecAll(conn, queries, err);
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
      return ExecAll(conn, queries, err);
    });
  }

 private:
  // TerminateSql ends the user's other sessions; from PostgreSQL 14 on it
  // waits (up to 5 s) until they have exited, so the caller can rely on them
  // being gone.
  static std::string TerminateSql(PgConnection& conn, const std::string& literal) {
    std::string call = conn.server_version() >= 140000 ? "pg_terminate_backend(pid, 5000)"
                                                       : "pg_terminate_backend(pid)";
    return "SELECT " + call + " FROM pg_stat_activity WHERE usename = " + literal +
           " AND pid <> pg_backend_pid()";
  }

  Result<std::unique_ptr<PgConnection>> Open(const ConnectionConfig& config) override {
    std::string conninfo =
        RenderPostgresConninfo(config.connection_url, config.username, config.password);
    auto conn = PgConnection::Connect(conninfo, config.connect_timeout_seconds);
    if (!conn.ok()) {
      return Status::Unavailable(std::string(kName) + ": cannot connect: " +
                                 Scrub(conn.status().message(), {&config.password}));
    }
    return conn;
  }

  Status ToStatus(const PgError& err, const Secrets& secrets) const override {
    std::string message = Scrub(err.message, secrets);
    if (err.connection_lost || err.sqlstate.starts_with(kConnectionExceptionClass)) {
      return Status::Unavailable(std::string(kName) + ": connection lost: " + message);
    }
    std::string state = err.sqlstate.empty() ? "" : " (SQLSTATE " + err.sqlstate + ")";
    return Status::InvalidArgument(std::string(kName) + ": " + message + state);
  }
};

}  // namespace

Result<std::unique_ptr<Plugin>> OpenPostgresPlugin(const ConnectionConfig& config) {
  ConnectionConfig c = config;
  COFFER_RETURN_IF_ERROR(CheckPoolConfig(kName, &c));
  std::string rendered = RenderPostgresConninfo(c.connection_url, c.username, c.password);
  Status valid = ValidatePostgresConninfo(rendered);
  if (!valid.ok()) {
    return Status::InvalidArgument(std::string(kName) + ": " + Scrub(valid.message(), {&c.password}));
  }
  return std::unique_ptr<Plugin>(new PostgresPlugin(std::move(c)));
}

}  // namespace coffer::engines::database
