// MysqlConnection: one libmariadb connection (MariaDB or MySQL), owned;
// closed on destruction. Not thread-safe: one caller at a time (the pool
// hands each out to a single Lease).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "engines/database/mysql_dsn.h"

struct st_mysql;

namespace coffer::engines::database {

// MysqlError describes a failed statement; the caller scrubs secrets from
// `message` (MySQL's syntax errors quote the statement text).
struct MysqlError {
  unsigned code = 0;
  std::string message;
  bool connection_lost = false;  // a client-side (CR_*) error: connection unusable
};

class MysqlConnection {
 public:
  // Connect opens a connection described by `dsn` with the given (rendered)
  // credentials. `connect_timeout_seconds` bounds the connect; read/write
  // timeouts come from the DSN, else default to a bound of their own so a
  // hung server cannot block a caller forever. Unavailable with the driver's
  // message, unscrubbed.
  static Result<std::unique_ptr<MysqlConnection>> Connect(const MysqlDsn& dsn,
                                                          const std::string& user,
                                                          const std::string& password,
                                                          int connect_timeout_seconds);
  ~MysqlConnection();
  MysqlConnection(const MysqlConnection&) = delete;
  MysqlConnection& operator=(const MysqlConnection&) = delete;

  // Exec runs one statement, consuming any result set; *rows is its row
  // count (0 for statements without one).
  bool Exec(const std::string& sql, int* rows, MysqlError* error);
  bool Exec(const std::string& sql, MysqlError* error) {
    int rows = 0;
    return Exec(sql, &rows, error);
  }

  // Query runs one statement and returns the first column of every row.
  bool QueryColumn(const std::string& sql, std::vector<std::string>* values, MysqlError* error);

  // Quote returns `value` escaped for this connection's charset and SQL
  // mode, inside single quotes.
  std::string Quote(const std::string& value);

 private:
  explicit MysqlConnection(st_mysql* conn) : conn_(conn) {}
  void FillError(MysqlError* error);
  st_mysql* conn_;
};

}  // namespace coffer::engines::database
