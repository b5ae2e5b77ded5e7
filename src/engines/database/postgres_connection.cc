#include "engines/database/postgres_connection.h"

#include <libpq-fe.h>

#include <string>

namespace coffer::engines::database {
namespace {

// OneLine joins libpq's multi-line messages ("...refused\n\tIs the server
// running...") into one line for API errors and logs.
std::string OneLine(const std::string& s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) {
      out += ' ';
      space = false;
    }
    out += c;
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<PgConnection>> PgConnection::Connect(const std::string& conninfo,
                                                            int connect_timeout_seconds) {
  // expand_dbname makes libpq parse `conninfo` (either form) in place of the
  // dbname; keywords after it win, so our connect_timeout overrides any in
  // the URL and every connect is bounded.
  std::string timeout = std::to_string(connect_timeout_seconds);
  const char* keywords[] = {"dbname", "connect_timeout", nullptr};
  const char* values[] = {conninfo.c_str(), timeout.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, 1);
  if (conn == nullptr) {
    return Status::Unavailable("out of memory");
  }
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = OneLine(PQerrorMessage(conn));
    PQfinish(conn);
    return Status::Unavailable(message);
  }
  return std::unique_ptr<PgConnection>(new PgConnection(conn));
}

PgConnection::~PgConnection() { PQfinish(conn_); }

bool PgConnection::Exec(const std::string& sql, int* rows, PgError* error) {
  PGresult* res = PQexec(conn_, sql.c_str());
  ExecStatusType status = res != nullptr ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
    *rows = status == PGRES_TUPLES_OK ? PQntuples(res) : 0;
    PQclear(res);
    return true;
  }
  const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary = res != nullptr ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  error->sqlstate = state != nullptr ? state : "";
  error->message = OneLine(primary != nullptr ? primary : PQerrorMessage(conn_));
  if (error->message.empty()) {
    error->message = std::string("unexpected result ") + PQresStatus(status);
  }
  error->connection_lost = PQstatus(conn_) != CONNECTION_OK;
  PQclear(res);
  return false;
}

std::string PgConnection::EscapeIdentifier(const std::string& value) {
  char* quoted = PQescapeIdentifier(conn_, value.data(), value.size());
  if (quoted == nullptr) {
    return "";
  }
  std::string out = quoted;
  PQfreemem(quoted);
  return out;
}

std::string PgConnection::EscapeLiteral(const std::string& value) {
  char* quoted = PQescapeLiteral(conn_, value.data(), value.size());
  if (quoted == nullptr) {
    return "";
  }
  std::string out = quoted;
  PQfreemem(quoted);
  return out;
}

int PgConnection::server_version() const { return PQserverVersion(conn_); }

}  // namespace coffer::engines::database
