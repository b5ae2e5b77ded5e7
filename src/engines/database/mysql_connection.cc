#include "engines/database/mysql_connection.h"

#include <errmsg.h>
#include <mysql.h>

#include <mutex>
#include <string>
#include <vector>

namespace coffer::engines::database {
namespace {

// Read/write timeout when the DSN sets none: statements here are DDL on
// one user, so a minute means the server is hung, not busy.
constexpr unsigned kDefaultIoTimeoutSeconds = 60;

void InitLibraryOnce() {
  // mysql_library_init is not thread-safe; every later call is.
  static std::once_flag once;
  std::call_once(once, [] { (void)mysql_library_init(0, nullptr, nullptr); });
}

}  // namespace

Result<std::unique_ptr<MysqlConnection>> MysqlConnection::Connect(const MysqlDsn& dsn,
                                                                   const std::string& user,
                                                                   const std::string& password,
                                                                   int connect_timeout_seconds) {
  InitLibraryOnce();
  MYSQL* conn = mysql_init(nullptr);
  if (conn == nullptr) {
    return Status::Unavailable("out of memory");
  }
  unsigned connect_timeout = static_cast<unsigned>(
      dsn.timeout_seconds > 0 ? dsn.timeout_seconds : connect_timeout_seconds);
  unsigned read_timeout = dsn.read_timeout_seconds > 0
                              ? static_cast<unsigned>(dsn.read_timeout_seconds)
                              : kDefaultIoTimeoutSeconds;
  unsigned write_timeout = dsn.write_timeout_seconds > 0
                               ? static_cast<unsigned>(dsn.write_timeout_seconds)
                               : kDefaultIoTimeoutSeconds;
  // The configured connect timeout is the engine's bound; a DSN timeout may
  // only shorten it.
  if (connect_timeout_seconds > 0 && connect_timeout > static_cast<unsigned>(connect_timeout_seconds)) {
    connect_timeout = static_cast<unsigned>(connect_timeout_seconds);
  }
  unsigned protocol = dsn.unix_socket ? MYSQL_PROTOCOL_SOCKET : MYSQL_PROTOCOL_TCP;
  mysql_optionsv(conn, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
  mysql_optionsv(conn, MYSQL_OPT_READ_TIMEOUT, &read_timeout);
  mysql_optionsv(conn, MYSQL_OPT_WRITE_TIMEOUT, &write_timeout);
  mysql_optionsv(conn, MYSQL_OPT_PROTOCOL, &protocol);
  mysql_optionsv(conn, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  const char* host = dsn.unix_socket ? "localhost" : dsn.host.c_str();
  const char* socket = dsn.unix_socket ? dsn.socket_path.c_str() : nullptr;
  const char* db = dsn.database.empty() ? nullptr : dsn.database.c_str();
  if (mysql_real_connect(conn, host, user.c_str(), password.c_str(), db,
                         dsn.unix_socket ? 0 : dsn.port, socket, 0) == nullptr) {
    std::string message = mysql_error(conn);
    mysql_close(conn);
    return Status::Unavailable(message);
  }
  return std::unique_ptr<MysqlConnection>(new MysqlConnection(conn));
}

MysqlConnection::~MysqlConnection() { mysql_close(conn_); }

void MysqlConnection::FillError(MysqlError* error) {
  error->code = mysql_errno(conn_);
  error->message = mysql_error(conn_);
  // CR_* codes (2000-2999) are the client's own: the connection broke.
  error->connection_lost = error->code >= CR_MIN_ERROR && error->code <= CR_MAX_ERROR;
}

bool MysqlConnection::Exec(const std::string& sql, int* rows, MysqlError* error) {
  *rows = 0;
  if (mysql_real_query(conn_, sql.data(), sql.size()) != 0) {
    FillError(error);
    return false;
  }
  MYSQL_RES* res = mysql_store_result(conn_);
  if (res == nullptr) {
    if (mysql_field_count(conn_) != 0) {  // a result set was expected
      FillError(error);
      return false;
    }
    return true;
  }
  *rows = static_cast<int>(mysql_num_rows(res));
  mysql_free_result(res);
  return true;
}

bool MysqlConnection::QueryColumn(const std::string& sql, std::vector<std::string>* values,
                                  MysqlError* error) {
  values->clear();
  if (mysql_real_query(conn_, sql.data(), sql.size()) != 0) {
    FillError(error);
    return false;
  }
  MYSQL_RES* res = mysql_store_result(conn_);
  if (res == nullptr) {
    if (mysql_field_count(conn_) != 0) {
      FillError(error);
      return false;
    }
    return true;
  }
  while (MYSQL_ROW row = mysql_fetch_row(res)) {
    unsigned long* lengths = mysql_fetch_lengths(res);
    values->emplace_back(row[0] != nullptr ? std::string(row[0], lengths[0]) : std::string());
  }
  mysql_free_result(res);
  return true;
}

std::string MysqlConnection::Quote(const std::string& value) {
  std::string out(value.size() * 2 + 1, '\0');
  unsigned long n = mysql_real_escape_string(conn_, out.data(), value.data(), value.size());
  out.resize(n);
  return "'" + out + "'";
}

}  // namespace coffer::engines::database
