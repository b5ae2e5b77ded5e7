// database::Plugin: how the database secrets engine talks to one database
// (Vault's dbplugin.Database). Implementations: "postgresql-database-plugin"
// (libpq) and "mysql-database-plugin" (libmariadb, for MariaDB and MySQL).
//
// Implementations must guarantee:
//  - Thread safety: every method may be called concurrently; each keeps a
//    pool of at most max_open_connections connections, reused, closed after
//    max_connection_lifetime, and dropped when a query fails on them.
//  - Bounded waits: connecting gives up after connect_timeout_seconds and a
//    caller waits at most that long for a free connection, so a database
//    that is down answers Unavailable quickly with the driver's message and
//    blocks no other mount or request.
//  - Statements: each entry of a statement list may hold several
//    statements separated by ';' (split outside quotes and dollar quotes);
//    {{name}} and {{username}} become the user name, {{password}} the
//    password and {{expiration}} the expiry time ("2006-01-02 15:04:05").
//    The statements of one call run in one transaction: a failure rolls all
//    of them back.
//  - No password ever appears in a returned error message or a log line.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"

namespace coffer::engines::database {

inline constexpr std::string_view kPostgresPlugin = "postgresql-database-plugin";
inline constexpr std::string_view kMysqlPlugin = "mysql-database-plugin";

struct ConnectionConfig {
  std::string plugin_name;
  // libpq URL or key=value string ("postgresql://{{username}}:{{password}}@
  // 127.0.0.1:5432/postgres?sslmode=disable"); for MySQL a Go-style DSN
  // ("{{username}}:{{password}}@tcp(127.0.0.1:3306)/"). {{username}} and
  // {{password}} are replaced with `username` and `password`.
  std::string connection_url;
  std::string username;
  std::string password;
  int max_open_connections = 4;
  int64_t max_connection_lifetime = 0;  // seconds; 0 = no limit
  int connect_timeout_seconds = 5;
};

class Plugin {
 public:
  virtual ~Plugin() = default;

  // Verify opens (or reuses) a connection and runs a trivial query.
  virtual Status Verify() = 0;

  // CreateUser runs `statements` (the role's creation_statements) for a new
  // user. An empty list is InvalidArgument.
  virtual Status CreateUser(const std::vector<std::string>& statements,
                            const std::string& username, const std::string& password,
                            const std::string& expiration) = 0;

  // RenewUser runs renew_statements with the new expiration; an empty list
  // does nothing.
  virtual Status RenewUser(const std::vector<std::string>& statements,
                           const std::string& username, const std::string& expiration) = 0;

  // RevokeUser drops the user. With no statements it uses the plugin's
  // default: PostgreSQL terminates the user's sessions, revokes its
  // privileges and ownerships and drops the role; MySQL drops the user.
  // Dropping a user that no longer exists is OK (revocations are retried).
  virtual Status RevokeUser(const std::vector<std::string>& statements,
                            const std::string& username) = 0;

  // SetPassword changes a user's password (static roles' rotation, and the
  // root user for rotate-root). With no statements it uses
  // ALTER ROLE/ALTER USER ... PASSWORD.
  virtual Status SetPassword(const std::vector<std::string>& statements,
                             const std::string& username, const std::string& password) = 0;

  // UpdateRootPassword tells the plugin that the configured user's password
  // changed (after rotate-root): new connections use it, pooled ones close.
  virtual void UpdateRootPassword(const std::string& password) = 0;
};

// OpenPlugin validates the config (known plugin, parsable connection URL)
// without connecting; InvalidArgument naming what is wrong.
Result<std::unique_ptr<Plugin>> OpenPlugin(const ConnectionConfig& config);

// SplitStatements splits one statement string on ';' outside quotes,
// dollar quotes and comments, dropping empty pieces.
std::vector<std::string> SplitStatements(const std::string& statements);

// RenderStatement replaces {{name}}, {{username}}, {{password}} and
// {{expiration}} in `statement`.
std::string RenderStatement(const std::string& statement, const std::string& username,
                            const std::string& password, const std::string& expiration);

}  // namespace coffer::engines::database
