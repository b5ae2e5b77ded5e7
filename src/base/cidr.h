// CIDR blocks ("10.0.0.0/8", "::1/128", or a bare address) and whether an
// address falls in one: the CIDR bindings of tokens, roles and secret-ids.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace coffer {

struct Cidr {
  bool v6 = false;
  std::array<uint8_t, 16> address{};
  int prefix_bits = 0;

  // Parse accepts "a.b.c.d/n", "x::y/n" or a bare address (a /32 or /128);
  // nullopt for anything else. Host bits past the prefix are allowed, as
  // Vault allows them ("10.0.0.1/8" is 10.0.0.0/8).
  static std::optional<Cidr> Parse(std::string_view text);
  bool Contains(std::string_view address) const;
  // Contains(block): every address of `inner` lies in this block.
  bool Contains(const Cidr& inner) const;
};

// AddressInAny tells whether `address` is in one of `cidrs` (strings that
// fail to parse match nothing). An empty list binds nothing: true.
bool AddressInAny(const std::vector<std::string>& cidrs, std::string_view address);

// CidrsSubset tells whether every block of `inner` lies inside some block of
// `outer` (Vault's cidrutil.SubsetBlocks). An empty `outer` restricts
// nothing, so any `inner` is a subset; a block that does not parse is not.
bool CidrsSubset(const std::vector<std::string>& inner, const std::vector<std::string>& outer);

// ValidateCidrs is InvalidArgument naming the first block of `cidrs` that
// does not parse, with `what` (the field) in the message.
Status ValidateCidrs(const std::vector<std::string>& cidrs, std::string_view what);

}  // namespace coffer
