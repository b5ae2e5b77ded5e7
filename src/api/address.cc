#include "api/address.h"

#include <string_view>

namespace coffer::api {

std::string ServerAddress::HostHeader() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return h + ":" + std::to_string(port);
}

std::string ServerAddress::Origin() const {
  return std::string(tls ? "https://" : "http://") + HostHeader();
}

Result<ServerAddress> ParseServerAddress(const std::string& address) {
  auto invalid = [&address](const std::string& why) {
    return Status::InvalidArgument("invalid server address \"" + address + "\": " + why);
  };
  ServerAddress out;
  std::string_view rest = address;
  if (rest.substr(0, 8) == "https://") {
    out.tls = true;
    rest.remove_prefix(8);
  } else if (rest.substr(0, 7) == "http://") {
    out.tls = false;
    rest.remove_prefix(7);
  } else {
    return invalid("must start with http:// or https://");
  }
  rest = rest.substr(0, rest.find('/'));
  std::string_view port;
  if (!rest.empty() && rest.front() == '[') {
    size_t close = rest.find(']');
    if (close == std::string_view::npos) {
      return invalid("unterminated IPv6 address");
    }
    out.host = std::string(rest.substr(1, close - 1));
    std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        return invalid("expected :port after the IPv6 address");
      }
      port = after.substr(1);
    }
  } else {
    size_t colon = rest.rfind(':');
    out.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = rest.substr(colon + 1);
    }
  }
  if (out.host.empty()) {
    return invalid("missing host");
  }
  if (port.empty()) {
    out.port = out.tls ? 443 : 80;
    return out;
  }
  if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos) {
    return invalid("port must be a number");
  }
  unsigned long value = std::stoul(std::string(port));
  if (value == 0 || value > 65535) {
    return invalid("port must be between 1 and 65535");
  }
  out.port = static_cast<uint16_t>(value);
  return out;
}

}  // namespace coffer::api
