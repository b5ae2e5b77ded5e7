#include "base/cidr.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

namespace coffer {

namespace {

// ParseAddress reads an IPv4 or IPv6 address (IPv4-mapped IPv6 counts as
// IPv4, so "::ffff:127.0.0.1" matches 127.0.0.0/8).
std::optional<Cidr> ParseAddress(std::string_view text) {
  const std::string s(text);
  Cidr c;
  if (inet_pton(AF_INET, s.c_str(), c.address.data()) == 1) {
    c.prefix_bits = 32;
    return c;
  }
  std::array<uint8_t, 16> v6{};
  if (inet_pton(AF_INET6, s.c_str(), v6.data()) != 1) {
    return std::nullopt;
  }
  static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(std::begin(kMapped), std::end(kMapped), v6.begin())) {
    std::copy(v6.begin() + 12, v6.end(), c.address.begin());
    c.prefix_bits = 32;
    return c;
  }
  c.v6 = true;
  c.address = v6;
  c.prefix_bits = 128;
  return c;
}

}  // namespace

std::optional<Cidr> Cidr::Parse(std::string_view text) {
  const size_t slash = text.find('/');
  std::optional<Cidr> c = ParseAddress(text.substr(0, slash));
  if (!c || slash == std::string_view::npos) {
    return c;
  }
  const std::string_view bits = text.substr(slash + 1);
  int n = -1;
  auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), n);
  if (ec != std::errc() || end != bits.data() + bits.size() || bits.empty() || n < 0 ||
      n > (c->v6 ? 128 : 32)) {
    return std::nullopt;
  }
  c->prefix_bits = n;
  return c;
}

bool Cidr::Contains(std::string_view text) const {
  std::optional<Cidr> a = ParseAddress(text);
  return a && Contains(*a);
}

bool Cidr::Contains(const Cidr& inner) const {
  if (inner.v6 != v6 || inner.prefix_bits < prefix_bits) {
    return false;
  }
  int bits = prefix_bits;
  for (size_t i = 0; bits > 0; ++i, bits -= 8) {
    const uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
    if ((inner.address[i] & mask) != (address[i] & mask)) {
      return false;
    }
  }
  return true;
}

bool AddressInAny(const std::vector<std::string>& cidrs, std::string_view address) {
  if (cidrs.empty()) {
    return true;
  }
  for (const auto& text : cidrs) {
    if (auto c = Cidr::Parse(text); c && c->Contains(address)) {
      return true;
    }
  }
  return false;
}

bool CidrsSubset(const std::vector<std::string>& inner, const std::vector<std::string>& outer) {
  if (outer.empty()) {
    return true;
  }
  return std::all_of(inner.begin(), inner.end(), [&](const std::string& in) {
    std::optional<Cidr> in_block = Cidr::Parse(in);
    return in_block && std::any_of(outer.begin(), outer.end(), [&](const std::string& out) {
             std::optional<Cidr> out_block = Cidr::Parse(out);
             return out_block && out_block->Contains(*in_block);
           });
  });
}

Status ValidateCidrs(const std::vector<std::string>& cidrs, std::string_view what) {
  for (const std::string& cidr : cidrs) {
    if (!Cidr::Parse(cidr)) {
      return Status::InvalidArgument("invalid CIDR block \"" + cidr + "\" in " +
                                     std::string(what));
    }
  }
  return Status::Ok();
}

}  // namespace coffer
