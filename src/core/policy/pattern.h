// Path patterns of policy rules: their syntax, and Vault's priority order
// between two patterns that both match a request path.
//
// Syntax (Vault's, website/content/docs/concepts/policies.mdx):
//   - literal text matches itself: "secret/foo" matches only "secret/foo";
//   - a trailing '*' makes the rest a prefix match (a glob): "secret/zip-*"
//     matches "secret/zip-zap" and "secret/zip-zap/zong";
//   - a segment that is exactly '+' matches any one segment (any text
//     without '/', possibly empty): "secret/+/teamb".
// '*' anywhere but last and "+*" are errors; a '+' inside a longer segment
// ("a+b") is a literal character.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/status.h"

namespace coffer::core::policy {

// PatternShape is what matching and ordering need to know about a pattern.
// It points into the pattern it was made from, which must outlive it.
struct PatternShape {
  std::string_view pattern;  // as written, without a leading '/'
  std::string_view body;     // pattern without the trailing '*'
  bool glob = false;         // ends in '*'
  size_t plus_segments = 0;  // number of '+' segments
  // Offset of the first '+' segment or of the '*'; body.size() when neither.
  size_t first_wildcard = 0;

  // An exact pattern matches one path only, and beats every wildcard match.
  bool exact() const { return !glob && plus_segments == 0; }
};

// StripLeadingSlash drops one leading '/', as Vault does for both policy
// paths and request paths ("/secret/foo" means "secret/foo").
std::string_view StripLeadingSlash(std::string_view path);

// AnalyzePattern checks `pattern` (already without its leading '/') and
// describes it. On failure it returns InvalidArgument with a message that
// names the problem but not the position, which the caller knows.
Result<PatternShape> AnalyzePattern(std::string_view pattern);

// LowerPriority reports whether `a` loses to `b` when both match a path,
// in Vault's order: an exact pattern beats any wildcard; otherwise `a` is
// lower when (1) its first wildcard comes earlier, (2) it ends in '*' and
// `b` does not, (3) it has more '+' segments, (4) its body is shorter,
// (5) its body is smaller lexicographically. It is a strict weak order, and
// total over distinct patterns.
bool LowerPriority(const PatternShape& a, const PatternShape& b);

}  // namespace coffer::core::policy
