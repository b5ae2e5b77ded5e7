// MysqlDsn: the Go MySQL driver's DSN format that Vault's mysql plugin takes
//   [user[:password]@][net[(addr)]]/dbname[?param=value&...]
// e.g. "{{username}}:{{password}}@tcp(127.0.0.1:3306)/" or
// "root@unix(/run/mysqld/mysqld.sock)/app?timeout=5s".
#pragma once

#include <string>

#include "base/status.h"

namespace coffer::engines::database {

struct MysqlDsn {
  std::string user;      // as written: may still hold {{username}}
  std::string password;  // as written: may still hold {{password}}
  bool unix_socket = false;
  std::string host = "127.0.0.1";  // tcp
  unsigned port = 3306;            // tcp
  std::string socket_path;         // unix
  std::string database;            // empty: none selected
  // From the timeout / readTimeout / writeTimeout params, rounded up to
  // whole seconds; 0 when not given.
  int timeout_seconds = 0;
  int read_timeout_seconds = 0;
  int write_timeout_seconds = 0;
};

// ParseMysqlDsn parses a DSN template. Parsing happens before the
// credentials are substituted, so a password holding '@', '/' or ')' cannot
// change the DSN's structure. Unknown params (tls, parseTime, ...) are
// accepted and ignored. InvalidArgument names what is malformed; the
// message never repeats the password.
Result<MysqlDsn> ParseMysqlDsn(const std::string& dsn);

// ParseGoDurationSeconds parses a Go duration ("5s", "1m30s", "250ms") and
// rounds it up to whole seconds.
Result<int> ParseGoDurationSeconds(const std::string& text);

}  // namespace coffer::engines::database
