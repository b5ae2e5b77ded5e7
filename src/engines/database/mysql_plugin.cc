#include "engines/database/mysql_plugin.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engines/database/mysql_connection.h"
#include "engines/database/mysql_dsn.h"
#include "engines/database/pooled_plugin.h"

namespace coffer::engines::database {
namespace {

constexpr std::string_view kName = kMysqlPlugin;

// Scrub removes a password from a message as given and as
// mysql_real_escape_string would have quoted it into a statement.
std::string Scrub(std::string text, const Secrets& secrets) {
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

class MysqlPlugin final : public PooledPlugin<MysqlConnection, MysqlError> {
 public:
  MysqlPlugin(ConnectionConfig config, MysqlDsn dsn)
      : PooledPlugin(kName, "START TRANSACTION", std::move(config)), dsn_(std::move(dsn)) {}

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
      if (!ExecAll(conn, queries, err)) {
        return false;
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
      return ExecAll(conn, queries, err);
    });
  }

 private:
  Result<std::unique_ptr<MysqlConnection>> Open(const ConnectionConfig& config) override {
    std::string user = RenderStatement(dsn_.user, config.username, config.password, "");
    std::string password = RenderStatement(dsn_.password, config.username, config.password, "");
    auto conn = MysqlConnection::Connect(dsn_, user, password, config.connect_timeout_seconds);
    if (!conn.ok()) {
      return Status::Unavailable(std::string(kName) + ": cannot connect: " +
                                 Scrub(conn.status().message(), {&password}));
    }
    return conn;
  }

  Status ToStatus(const MysqlError& err, const Secrets& secrets) const override {
    std::string message = Scrub(err.message, secrets);
    if (err.connection_lost) {
      return Status::Unavailable(std::string(kName) + ": connection lost: " + message);
    }
    return Status::InvalidArgument(std::string(kName) + ": " + message + " (error " +
                                   std::to_string(err.code) + ")");
  }

  const MysqlDsn dsn_;  // credentials still hold their placeholders
};

}  // namespace

Result<std::unique_ptr<Plugin>> OpenMysqlPlugin(const ConnectionConfig& config) {
  ConnectionConfig c = config;
  COFFER_RETURN_IF_ERROR(CheckPoolConfig(kName, &c));
  auto dsn = ParseMysqlDsn(c.connection_url);
  if (!dsn.ok()) {
    return Status::InvalidArgument(std::string(kName) + ": connection_url: " +
                                   Scrub(dsn.status().message(), {&c.password}));
  }
  return std::unique_ptr<Plugin>(new MysqlPlugin(std::move(c), std::move(dsn).value()));
}

}  // namespace coffer::engines::database
