#include "engines/database/mysql_dsn.h"

#include <cctype>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>

#include "base/encoding.h"

namespace coffer::engines::database {
namespace {

Result<std::string> Unescape(std::string_view s, bool plus_is_space) {
  std::optional<std::string> decoded = PercentDecode(s, plus_is_space);
  if (!decoded) {
    return Status::InvalidArgument("bad percent-escape");
  }
  return std::move(*decoded);
}

Status ParseAddress(std::string_view addr, MysqlDsn& dsn) {
  if (addr.empty()) {
    return Status::Ok();  // the defaults
  }
  std::string_view host = addr;
  std::string_view port;
  if (addr.front() == '[') {  // [v6]:port
    size_t close = addr.find(']');
    if (close == std::string_view::npos) {
      return Status::InvalidArgument("invalid DSN: bad IPv6 address");
    }
    host = addr.substr(1, close - 1);
    std::string_view rest = addr.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') {
        return Status::InvalidArgument("invalid DSN: bad address");
      }
      port = rest.substr(1);
    }
  } else if (size_t colon = addr.rfind(':'); colon != std::string_view::npos) {
    host = addr.substr(0, colon);
    port = addr.substr(colon + 1);
  }
  if (!host.empty()) {
    dsn.host = std::string(host);
  }
  if (!port.empty()) {
    unsigned value = 0;
    for (char c : port) {
      if (std::isdigit(static_cast<unsigned char>(c)) == 0 || value > 65535) {
        return Status::InvalidArgument("invalid DSN: bad port \"" + std::string(port) + "\"");
      }
      value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (value == 0 || value > 65535) {
      return Status::InvalidArgument("invalid DSN: bad port \"" + std::string(port) + "\"");
    }
    dsn.port = value;
  }
  return Status::Ok();
}

Status ParseParams(std::string_view params, MysqlDsn& dsn) {
  while (!params.empty()) {
    size_t amp = params.find('&');
    std::string_view pair = params.substr(0, amp);
    params = amp == std::string_view::npos ? std::string_view() : params.substr(amp + 1);
    if (pair.empty()) {
      continue;
    }
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos) {
      return Status::InvalidArgument("invalid DSN: param \"" + std::string(pair) +
                                     "\" has no value");
    }
    std::string_view key = pair.substr(0, eq);
    COFFER_ASSIGN_OR_RETURN(std::string value, Unescape(pair.substr(eq + 1), true));
    int* target = nullptr;
    if (key == "timeout") {
      target = &dsn.timeout_seconds;
    } else if (key == "readTimeout") {
      target = &dsn.read_timeout_seconds;
    } else if (key == "writeTimeout") {
      target = &dsn.write_timeout_seconds;
    }
    if (target != nullptr) {
      auto seconds = ParseGoDurationSeconds(value);
      if (!seconds.ok()) {
        return Status::InvalidArgument("invalid DSN: " + std::string(key) + ": " +
                                       seconds.status().message());
      }
      *target = *seconds;
    }
  }
  return Status::Ok();
}

}  // namespace

Result<int> ParseGoDurationSeconds(const std::string& text) {
  std::string_view s = text;
  if (s == "0") {
    return 0;
  }
  double total = 0;
  if (s.empty()) {
    return Status::InvalidArgument("invalid duration \"\"");
  }
  while (!s.empty()) {
    size_t n = 0;
    while (n < s.size() && (std::isdigit(static_cast<unsigned char>(s[n])) != 0 || s[n] == '.')) {
      ++n;
    }
    size_t u = n;
    while (u < s.size() && std::isalpha(static_cast<unsigned char>(s[u])) != 0) {
      ++u;
    }
    std::string number(s.substr(0, n));
    std::string_view unit = s.substr(n, u - n);
    if (number.empty() || number == "." || unit.empty()) {
      return Status::InvalidArgument("invalid duration \"" + text + "\"");
    }
    double value = std::stod(number);
    double scale = 0;
    if (unit == "h") {
      scale = 3600;
    } else if (unit == "m") {
      scale = 60;
    } else if (unit == "s") {
      scale = 1;
    } else if (unit == "ms") {
      scale = 1e-3;
    } else if (unit == "us" || unit == "µs") {
      scale = 1e-6;
    } else if (unit == "ns") {
      scale = 1e-9;
    } else {
      return Status::InvalidArgument("invalid duration \"" + text + "\"");
    }
    total += value * scale;
    s = s.substr(u);
  }
  if (total > 86400.0 * 365) {
    return Status::InvalidArgument("duration \"" + text + "\" is too long");
  }
  return static_cast<int>(std::ceil(total));
}

Result<MysqlDsn> ParseMysqlDsn(const std::string& text) {
  std::string_view dsn = text;
  // Like the Go driver: the last '/' ends the credentials and address (the
  // password and a socket path may hold '/'), the last '@' before it ends
  // the credentials, and the first ':' splits user from password.
  size_t slash = dsn.rfind('/');
  if (slash == std::string_view::npos) {
    return Status::InvalidArgument("invalid DSN: missing the slash separating the database name");
  }
  MysqlDsn out;
  std::string_view head = dsn.substr(0, slash);
  std::string_view tail = dsn.substr(slash + 1);
  size_t at = head.rfind('@');
  std::string_view address_part = head;
  if (at != std::string_view::npos) {
    std::string_view creds = head.substr(0, at);
    size_t colon = creds.find(':');
    out.user = std::string(creds.substr(0, colon));
    if (colon != std::string_view::npos) {
      out.password = std::string(creds.substr(colon + 1));
    }
    address_part = head.substr(at + 1);
  }
  std::string_view net = address_part;
  std::string_view addr;
  if (size_t paren = address_part.find('('); paren != std::string_view::npos) {
    if (address_part.back() != ')') {
      return Status::InvalidArgument("invalid DSN: network address not terminated (missing closing brace)");
    }
    net = address_part.substr(0, paren);
    addr = address_part.substr(paren + 1, address_part.size() - paren - 2);
  }
  if (net.empty() || net == "tcp" || net == "tcp4" || net == "tcp6") {
    COFFER_RETURN_IF_ERROR(ParseAddress(addr, out));
  } else if (net == "unix") {
    out.unix_socket = true;
    out.socket_path = addr.empty() ? "/tmp/mysql.sock" : std::string(addr);
  } else {
    return Status::InvalidArgument("invalid DSN: unknown network \"" + std::string(net) + "\"");
  }
  size_t question = tail.find('?');
  auto database = Unescape(tail.substr(0, question), false);
  if (!database.ok()) {
    return Status::InvalidArgument("invalid DSN: database name: " + database.status().message());
  }
  out.database = *database;
  if (question != std::string_view::npos) {
    COFFER_RETURN_IF_ERROR(ParseParams(tail.substr(question + 1), out));
  }
  return out;
}

}  // namespace coffer::engines::database
