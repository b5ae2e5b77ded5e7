#include "core/framework/path_pattern.h"

namespace coffer::core::framework {

namespace {

// Translation is the ECMAScript pattern plus the named groups found.
struct Translation {
  std::string ecmascript;
  std::vector<std::pair<std::string, size_t>> names;
};

bool IsClassEscape(char c) {
  return c == 'w' || c == 'W' || c == 'd' || c == 'D' || c == 's' || c == 'S';
}

// ReadGroupName reads "name>" at `pattern[i]`, leaving `i` after the '>'.
Result<std::string> ReadGroupName(std::string_view pattern, size_t* i) {
  size_t close = pattern.find('>', *i);
  if (close == std::string_view::npos || close == *i) {
    return Status::InvalidArgument("path pattern: malformed named group");
  }
  std::string name(pattern.substr(*i, close - *i));
  *i = close + 1;
  return name;
}

// Translate rewrites Go's (?P<name>...) and (?<name>...) as plain groups and
// numbers every capturing group, skipping escapes and character classes
// (where '(' is literal).
Result<Translation> Translate(std::string_view pattern) {
  Translation out;
  size_t group = 0;
  bool in_class = false;
  // Go reads '-' next to a class escape inside [...] as a literal ("[\w-.]"),
  // where ECMAScript sees a bad range; such a '-' is escaped.
  bool after_class_escape = false;
  size_t i = 0;
  while (i < pattern.size()) {
    char c = pattern[i];
    if (c == '\\') {
      out.ecmascript.append(pattern.substr(i, 2));
      after_class_escape = in_class && i + 1 < pattern.size() && IsClassEscape(pattern[i + 1]);
      i += 2;
      continue;
    }
    if (in_class) {
      bool before_class_escape = i + 2 < pattern.size() && pattern[i + 1] == '\\' &&
                                 IsClassEscape(pattern[i + 2]);
      if (c == '-' && (after_class_escape || before_class_escape)) {
        out.ecmascript.append("\\-");
      } else {
        out.ecmascript.push_back(c);
      }
      in_class = c != ']';
      after_class_escape = false;
      ++i;
      continue;
    }
    if (c == '[') {
      in_class = true;
      out.ecmascript.push_back(c);
      ++i;
      continue;
    }
    if (c != '(') {
      out.ecmascript.push_back(c);
      ++i;
      continue;
    }
    std::string_view rest = pattern.substr(i);
    bool named_p = rest.starts_with("(?P<");
    bool named = rest.starts_with("(?<") && !rest.starts_with("(?<=") && !rest.starts_with("(?<!");
    if (named_p || named) {
      i += named_p ? 4 : 3;
      COFFER_ASSIGN_OR_RETURN(std::string name, ReadGroupName(pattern, &i));
      out.names.emplace_back(std::move(name), ++group);
      out.ecmascript.push_back('(');
      continue;
    }
    if (!rest.starts_with("(?")) {
      ++group;  // a plain capturing group still takes an index
    }
    out.ecmascript.push_back('(');
    ++i;
  }
  return out;
}

}  // namespace

Result<PathPattern> PathPattern::Compile(std::string_view pattern) {
  PathPattern compiled;
  compiled.anchored_ = std::string(pattern);
  if (compiled.anchored_.empty() || compiled.anchored_.front() != '^') {
    compiled.anchored_.insert(0, "^");
  }
  if (compiled.anchored_.back() != '$') {
    compiled.anchored_.push_back('$');
  }
  COFFER_ASSIGN_OR_RETURN(Translation translation, Translate(compiled.anchored_));
  try {
    compiled.regex_ = std::regex(translation.ecmascript, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    return Status::InvalidArgument("path pattern \"" + std::string(pattern) +
                                   "\" does not compile: " + e.what());
  }
  if (compiled.regex_.mark_count() < translation.names.size()) {
    return Status::InvalidArgument("path pattern \"" + std::string(pattern) +
                                   "\": group count mismatch");
  }
  compiled.names_ = std::move(translation.names);
  return compiled;
}

std::optional<std::map<std::string, std::string>> PathPattern::Match(
    const std::string& path) const {
  std::smatch match;
  try {
    if (!std::regex_match(path, match, regex_)) {
      return std::nullopt;
    }
  } catch (const std::regex_error&) {
    // Only complexity limits can throw here; such a path matches nothing.
    return std::nullopt;
  }
  std::map<std::string, std::string> captures;
  for (const auto& [name, index] : names_) {
    captures[name] = match[index].matched ? match[index].str() : std::string();
  }
  return captures;
}

std::string MatchAll(std::string_view name) {
  return "(?P<" + std::string(name) + ">.*)";
}

std::string MatchAllNoTrailingSlash(std::string_view name) {
  return "(?P<" + std::string(name) + ">.*?[^/]$)";
}

std::string GenericName(std::string_view name) {
  return "(?P<" + std::string(name) + ">\\w(([\\w-.]+)?\\w)?)";
}

}  // namespace coffer::core::framework
