// Go-style command-line flags, as the vault CLI takes them: "-name=value",
// "-name value", "--name=value", and bare "-name" for booleans. Flags stop at
// the first positional argument or at "--". Hand-written because CLI11 and
// getopt only take "--long" options and scripts written for vault use "-x".
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace coffer::cli {

struct FlagSpec {
  std::string name;
  bool is_bool = false;
  std::string help;
};

struct ParsedFlags {
  std::map<std::string, std::string> values;  // bool flags hold "true"/"false"
  std::vector<std::string> args;              // positional arguments

  bool Has(const std::string& name) const { return values.count(name) != 0; }
  std::string Get(const std::string& name, const std::string& fallback = "") const;
  bool GetBool(const std::string& name) const;
};

// ParseFlags parses argv-style `args` against `specs`; InvalidArgument for an
// unknown flag, a missing value, or a malformed boolean.
Result<ParsedFlags> ParseFlags(const std::vector<std::string>& args,
                               const std::vector<FlagSpec>& specs);

// Usage renders the flags' help, one per line.
std::string Usage(const std::vector<FlagSpec>& specs);

}  // namespace coffer::cli
