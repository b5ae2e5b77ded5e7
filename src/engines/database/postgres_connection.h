// PgConnection: one libpq connection, owned; closed on destruction.
// Not thread-safe: a connection is used by one caller at a time (the pool
// hands each out to a single Lease).
#pragma once

#include <memory>
#include <string>

#include "base/status.h"

struct pg_conn;

namespace coffer::engines::database {

// PgError describes a failed command. `message` is the server's primary
// message only (not the "LINE 1: ..." context that would echo the
// statement); the caller still scrubs secrets from it.
struct PgError {
  std::string sqlstate;
  std::string message;
  bool connection_lost = false;  // the connection is unusable afterwards
};

class PgConnection {
 public:
  // Connect opens a connection to `conninfo` (URI or key=value), giving up
  // after connect_timeout_seconds. On failure returns libpq's message,
  // unscrubbed, as Unavailable.
  static Result<std::unique_ptr<PgConnection>> Connect(const std::string& conninfo,
                                                       int connect_timeout_seconds);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Exec runs one SQL command. Returns the number of rows it returned
  // (0 for commands), or false with *error filled in.
  bool Exec(const std::string& sql, int* rows, PgError* error);
  bool Exec(const std::string& sql, PgError* error) {
    int rows = 0;
    return Exec(sql, &rows, error);
  }

  // EscapeIdentifier/EscapeLiteral quote a value for this connection's
  // encoding ("name", 'value'). Empty only if libpq ran out of memory.
  std::string EscapeIdentifier(const std::string& value);
  std::string EscapeLiteral(const std::string& value);

  // server_version is e.g. 150004 for 15.4.
  int server_version() const;

 private:
  explicit PgConnection(pg_conn* conn) : conn_(conn) {}
  pg_conn* conn_;
};

}  // namespace coffer::engines::database
