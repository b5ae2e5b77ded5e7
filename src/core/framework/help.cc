#include "core/framework/help.h"

#include <sstream>

namespace coffer::core::framework {

namespace {

// Indent prefixes every line of `text` with `spaces` spaces.
std::string Indent(std::string_view text, size_t spaces) {
  std::string pad(spaces, ' ');
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string_view line = text.substr(start, end - start);
    if (!line.empty()) {
      out += pad;
      out += line;
    }
    out += '\n';
    start = end + 1;
  }
  return out;
}

std::string Trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == '\n' || text.front() == ' ')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.remove_suffix(1);
  }
  return std::string(text);
}

}  // namespace

std::string PathHelp(std::string_view request_path, std::string_view route,
                     const PathSpec& spec) {
  std::ostringstream out;
  out << "Request:        " << request_path << "\n";
  out << "Matching Route: " << route << "\n\n";
  out << Trimmed(spec.help_synopsis) << "\n";
  if (!spec.fields.empty()) {
    out << "\n## PARAMETERS\n";
    for (const auto& [name, field] : spec.fields) {
      out << "\n" << Indent(name + " (" + FieldTypeName(field.type) + ")", 4);
      std::string description = Trimmed(field.description);
      if (!description.empty()) {
        out << "\n" << Indent(description, 8);
      }
    }
  }
  out << "\n## DESCRIPTION\n\n" << Trimmed(spec.help_description) << "\n";
  return out.str();
}

std::string EngineHelp(std::string_view description,
                       const std::vector<std::pair<std::string, std::string>>& routes) {
  std::ostringstream out;
  out << "## DESCRIPTION\n\n" << Trimmed(description) << "\n\n## PATHS\n\n";
  out << "The following paths are supported by this backend. To view help for\n"
         "any of the paths below, use the help command with any route matching\n"
         "the path pattern. Note that depending on the policy of your auth token,\n"
         "you may or may not be able to access certain paths.\n";
  for (const auto& [route, synopsis] : routes) {
    out << "\n" << Indent(route, 4) << Indent(Trimmed(synopsis), 8);
  }
  return out.str();
}

}  // namespace coffer::core::framework
