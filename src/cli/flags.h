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
  // A repeatable flag keeps every value it is given ("-policy=a -policy=b"),
  // as vault's slice and map flags do; the others keep the last one.
  bool repeatable = false;
};

struct ParsedFlags {
  std::map<std::string, std::string> values;  // bool flags hold "true"/"false"
  // Every value of each repeatable flag, in command-line order.
  std::map<std::string, std::vector<std::string>> repeated;
  std::vector<std::string> args;              // positional arguments

  bool Has(const std::string& name) const { return values.count(name) != 0; }
  // Get returns the flag's value; for a repeatable flag, its last value.
  std::string Get(const std::string& name, const std::string& fallback = "") const;
  bool GetBool(const std::string& name) const;
  // GetAll returns every value given to `name`, in order; empty if none.
  std::vector<std::string> GetAll(const std::string& name) const;
};

// ParseFlags parses argv-style `args` against `specs`; InvalidArgument for an
// unknown flag, a missing value, or a malformed boolean.
Result<ParsedFlags> ParseFlags(const std::vector<std::string>& args,
                               const std::vector<FlagSpec>& specs);

// Usage renders the flags' help, one per line.
std::string Usage(const std::vector<FlagSpec>& specs);

}  // namespace coffer::cli
