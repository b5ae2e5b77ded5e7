#include "http/listen_address.h"

namespace coffer::http {

Result<ListenAddress> ParseListenAddress(const std::string& address) {
  auto invalid = [&address](const std::string& why) {
    return Status::InvalidArgument("invalid listener address \"" + address + "\": " + why);
  };
  ListenAddress out;
  std::string port;
  if (!address.empty() && address.front() == '[') {
    size_t close = address.find(']');
    if (close == std::string::npos || close + 1 >= address.size() || address[close + 1] != ':') {
      return invalid("expected [ipv6]:port");
    }
    out.host = address.substr(1, close - 1);
    port = address.substr(close + 2);
  } else {
    size_t colon = address.rfind(':');
    if (colon == std::string::npos) {
      return invalid("expected host:port");
    }
    out.host = address.substr(0, colon);
    if (out.host.find(':') != std::string::npos) {
      return invalid("IPv6 addresses must be bracketed, as in [::1]:8200");
    }
    port = address.substr(colon + 1);
  }
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos) {
    return invalid("port must be a number");
  }
  unsigned long value = std::stoul(port);
  if (value > 65535) {
    return invalid("port must be at most 65535");
  }
  out.port = static_cast<uint16_t>(value);
  return out;
}

}  // namespace coffer::http
