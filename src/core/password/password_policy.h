// Password policies (Vault's sys/policies/password): an HCL document
//
//   length = 20
//   rule "charset" {
//     charset   = "abcdefghijklmnopqrstuvwxyz"
//     min-chars = 1
//   }
//
// Generated passwords draw every character uniformly from the union of the
// rules' charsets with the OS CSPRNG (no modulo bias) and satisfy every
// rule's min-chars.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace coffer::core::password {

struct CharsetRule {
  std::string charset;  // distinct characters, as given (duplicates removed)
  int min_chars = 0;
};

struct PasswordPolicy {
  int length = 0;  // 4..100
  std::vector<CharsetRule> rules;

  // Parse reads the HCL (or JSON) document; InvalidArgument naming what is
  // wrong: a length out of range, no rule, an empty charset, an unknown
  // rule type, min-chars that cannot fit in the length.
  static Result<PasswordPolicy> Parse(std::string_view text);

  // Vault's default: 20 characters from a-z, A-Z, 0-9 with at least one of
  // each (used when a caller names no policy).
  static PasswordPolicy Default();

  // Generate returns a new password meeting the policy.
  Result<std::string> Generate() const;
};

}  // namespace coffer::core::password
