// PathPattern: a Vault path pattern (a Go regexp with named captures,
// "data/(?P<path>.*)") compiled to std::regex. std::regex has no named
// groups, so the names are taken out of the pattern and kept as a list of
// (name, group index). Like Vault, the pattern is anchored at both ends.
//
// Supported syntax is what ECMAScript and Go share (classes, \w, lazy
// quantifiers, (?:...), alternation) plus (?P<name>...) / (?<name>...).
// Go-only syntax such as inline flags (?i) fails to compile.
#pragma once

#include <map>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace coffer::core::framework {

class PathPattern {
 public:
  // Compile translates and compiles `pattern`; InvalidArgument when the
  // pattern is malformed or uses syntax std::regex lacks.
  static Result<PathPattern> Compile(std::string_view pattern);

  // Match returns the named captures when `path` matches the whole pattern
  // (a group that took no part in the match captures ""), nullopt when it
  // does not match. Thread-safe.
  std::optional<std::map<std::string, std::string>> Match(const std::string& path) const;

  // Anchored is the pattern as written, with the anchors added (shown in help).
  const std::string& anchored() const { return anchored_; }

 private:
  PathPattern() = default;

  std::string anchored_;
  std::regex regex_;
  std::vector<std::pair<std::string, size_t>> names_;
};

// Pattern pieces for the common captures, as Vault's framework provides.

// MatchAll captures everything, including slashes and the empty string.
std::string MatchAll(std::string_view name);
// MatchAllNoTrailingSlash captures a non-empty rest that does not end in '/'.
std::string MatchAllNoTrailingSlash(std::string_view name);
// GenericName captures a name of word characters, '-' and '.'.
std::string GenericName(std::string_view name);
// OptionalTrailingSlash matches "" or "/".
inline constexpr std::string_view kOptionalTrailingSlash = "/?";

}  // namespace coffer::core::framework
