#include "engines/database/postgres_conninfo.h"

#include <libpq-fe.h>

#include <cctype>
#include <string>

namespace coffer::engines::database {
namespace {

void ReplaceAll(std::string& s, const std::string& token, const std::string& value) {
  size_t pos = 0;
  while ((pos = s.find(token, pos)) != std::string::npos) {
    s.replace(pos, token.size(), value);
    pos += value.size();  // never rescan the inserted value
  }
}

}  // namespace

bool IsPostgresUrl(const std::string& conninfo) {
  return conninfo.starts_with("postgres://") || conninfo.starts_with("postgresql://");
}

std::string PercentEncode(const std::string& value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size() * 3);
  for (unsigned char c : value) {
    if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string RenderPostgresConninfo(const std::string& conninfo, const std::string& username,
                                   const std::string& password) {
  bool url = IsPostgresUrl(conninfo);
  std::string out = conninfo;
  // Both tokens are replaced in one left-to-right scan each; the username
  // goes first so a password containing "{{username}}" is left alone.
  std::string user = url ? PercentEncode(username) : username;
  std::string pass = url ? PercentEncode(password) : password;
  std::string marker = "\x01pw\x01";  // cannot occur in a connection string
  ReplaceAll(out, "{{password}}", marker);
  ReplaceAll(out, "{{username}}", user);
  ReplaceAll(out, marker, pass);
  return out;
}

Status ValidatePostgresConninfo(const std::string& conninfo) {
  char* err = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &err);
  if (options == nullptr) {
    std::string reason = err != nullptr ? err : "out of memory";
    PQfreemem(err);
    while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) {
      reason.pop_back();
    }
    return Status::InvalidArgument("invalid connection_url: " + reason);
  }
  PQconninfoFree(options);
  return Status::Ok();
}

}  // namespace coffer::engines::database
