#include "cli/output.h"

#include <algorithm>

namespace coffer::cli {

std::string FormatTable(const Rows& rows) {
  size_t width = 3;  // "Key"
  for (const auto& [k, v] : rows) {
    width = std::max(width, k.size());
  }
  auto line = [&](const std::string& k, const std::string& v) {
    return k + std::string(width - k.size() + 4, ' ') + v + "\n";
  };
  std::string out = line("Key", "Value") + line("---", "-----");
  for (const auto& [k, v] : rows) {
    out += line(k, v);
  }
  return out;
}

std::string FormatValue(const nlohmann::json& value) {
  if (value.is_string()) {
    return value.get<std::string>();
  }
  if (value.is_null()) {
    return "n/a";
  }
  return value.dump();
}

}  // namespace coffer::cli
