#include "base/glob.h"

#include <string>
#include <vector>

namespace coffer {

bool GlobMatch(std::string_view pattern, std::string_view value) {
  if (pattern == "*") {
    return true;
  }
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t pos; (pos = pattern.find('*', start)) != std::string_view::npos; start = pos + 1) {
    parts.push_back(pattern.substr(start, pos - start));
  }
  parts.push_back(pattern.substr(start));
  if (parts.size() == 1) {
    return pattern == value;
  }
  // The first part anchors the start, the last the end, the middle in order.
  if (value.substr(0, parts.front().size()) != parts.front()) {
    return false;
  }
  size_t at = parts.front().size();
  for (size_t i = 1; i + 1 < parts.size(); ++i) {
    const size_t found = value.find(parts[i], at);
    if (found == std::string_view::npos) {
      return false;
    }
    at = found + parts[i].size();
  }
  const std::string_view last = parts.back();
  return value.size() >= at + last.size() && value.substr(value.size() - last.size()) == last;
}

bool GlobbedStringsMatch(std::string_view pattern, std::string_view value) {
  if (pattern.size() < 2) {
    return pattern == value;
  }
  const bool leading = pattern.front() == '*';
  const bool trailing = pattern.back() == '*';
  if (leading && trailing) {
    return value.find(pattern.substr(1, pattern.size() - 2)) != std::string_view::npos;
  }
  if (leading) {
    const std::string_view suffix = pattern.substr(1);
    return value.size() >= suffix.size() && value.substr(value.size() - suffix.size()) == suffix;
  }
  if (trailing) {
    const std::string_view prefix = pattern.substr(0, pattern.size() - 1);
    return value.substr(0, prefix.size()) == prefix;
  }
  return pattern == value;
}

}  // namespace coffer
