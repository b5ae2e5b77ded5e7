// Parsing of the client's server address (VAULT_ADDR).
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"

namespace coffer::api {

struct ServerAddress {
  bool tls = true;
  std::string host;  // without brackets for IPv6
  uint16_t port = 0;

  // HostHeader is "host:port", bracketing an IPv6 host.
  std::string HostHeader() const;
  // Origin is "scheme://host:port".
  std::string Origin() const;
};

// ParseServerAddress accepts "http://host[:port][/]" and "https://...";
// a path after the authority is ignored. InvalidArgument names the address
// when the scheme is missing or unknown, the host is empty or the port bad.
Result<ServerAddress> ParseServerAddress(const std::string& address);

}  // namespace coffer::api
