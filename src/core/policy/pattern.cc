#include "core/policy/pattern.h"

namespace coffer::core::policy {

std::string_view StripLeadingSlash(std::string_view path) {
  if (!path.empty() && path.front() == '/') {
    path.remove_prefix(1);
  }
  return path;
}

Result<PatternShape> AnalyzePattern(std::string_view pattern) {
  if (pattern.empty()) {
    return Status::InvalidArgument("path pattern must not be empty");
  }
  size_t star = pattern.find('*');
  if (star != std::string_view::npos && star != pattern.size() - 1) {
    return Status::InvalidArgument("'*' may only appear at the end of a path pattern");
  }
  // Vault rejects "+*" too: a '+' segment is exactly one segment, and a
  // glob right after it would make it mean "one segment or more".
  if (pattern.find("+*") != std::string_view::npos) {
    return Status::InvalidArgument("invalid use of wildcards ('+*' is forbidden)");
  }
  if (pattern.find("{{") != std::string_view::npos) {
    return Status::InvalidArgument("templated policy paths ({{...}}) are not supported");
  }

  PatternShape shape;
  shape.pattern = pattern;
  shape.glob = star != std::string_view::npos;
  shape.body = shape.glob ? pattern.substr(0, pattern.size() - 1) : pattern;
  shape.first_wildcard = shape.body.size();

  size_t segment_start = 0;
  while (segment_start <= shape.body.size()) {
    size_t slash = shape.body.find('/', segment_start);
    size_t segment_end = slash == std::string_view::npos ? shape.body.size() : slash;
    std::string_view segment = shape.body.substr(segment_start, segment_end - segment_start);
    bool is_last = slash == std::string_view::npos;
    if (segment == "+") {
      if (shape.plus_segments == 0) {
        shape.first_wildcard = segment_start;
      }
      ++shape.plus_segments;
    }
    if (is_last) {
      break;
    }
    segment_start = slash + 1;
  }
  return shape;
}

bool LowerPriority(const PatternShape& a, const PatternShape& b) {
  if (a.exact() != b.exact()) {
    return b.exact();
  }
  if (a.first_wildcard != b.first_wildcard) {
    return a.first_wildcard < b.first_wildcard;
  }
  if (a.glob != b.glob) {
    return a.glob;
  }
  if (a.plus_segments != b.plus_segments) {
    return a.plus_segments > b.plus_segments;
  }
  if (a.body.size() != b.body.size()) {
    return a.body.size() < b.body.size();
  }
  if (a.body != b.body) {
    return a.body < b.body;
  }
  // Same body: only "x" and "x*" are left, and (2) above already ordered them.
  return false;
}

}  // namespace coffer::core::policy
