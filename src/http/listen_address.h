// Parsing of a listener's "address" setting ("127.0.0.1:8200", "[::1]:8200",
// ":8200").
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"

namespace coffer::http {

struct ListenAddress {
  std::string host;  // "" means all IPv4 interfaces, as Go's ":8200" does
  uint16_t port = 0;
};

// ParseListenAddress splits `address` into host and port; IPv6 hosts are
// bracketed. Fails with InvalidArgument naming the address when the port is
// missing, not a number or above 65535.
Result<ListenAddress> ParseListenAddress(const std::string& address);

}  // namespace coffer::http
