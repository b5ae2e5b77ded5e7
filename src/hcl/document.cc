#include "hcl/document.h"

#include "hcl/parser.h"

namespace coffer::hcl {

bool LooksLikeJson(std::string_view text, std::string_view filename) {
  constexpr std::string_view kSuffix = ".json";
  if (filename.size() >= kSuffix.size() &&
      filename.substr(filename.size() - kSuffix.size()) == kSuffix) {
    return true;
  }
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    text.remove_prefix(3);
  }
  size_t first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && text[first] == '{';
}

Result<Body> ParseDocument(std::string_view text, std::string_view filename,
                           const BlockSchema& schema) {
  if (LooksLikeJson(text, filename)) {
    return ParseJson(text, filename, schema);
  }
  return ParseHcl(text, filename);
}

}  // namespace coffer::hcl
