#include "storage/lmdb_options.h"

#include <cctype>
#include <limits>

namespace coffer::storage {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// UnitShift returns log2 of the multiplier a size suffix stands for, or -1.
int UnitShift(std::string_view suffix) {
  std::string unit = Lower(suffix);
  if (unit.empty() || unit == "b") {
    return 0;
  }
  static constexpr std::string_view kLetters = "kmgt";
  if (size_t pos = kLetters.find(unit[0]); pos != std::string_view::npos) {
    std::string_view tail = std::string_view(unit).substr(1);
    if (tail.empty() || tail == "b" || tail == "ib") {
      return static_cast<int>(10 * (pos + 1));
    }
  }
  return -1;
}

}  // namespace

Result<size_t> ParseByteSize(std::string_view text) {
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) {
    ++digits;
  }
  if (digits == 0) {
    return Status::InvalidArgument("\"" + std::string(text) + "\" is not a size in bytes");
  }
  size_t number = 0;
  for (size_t i = 0; i < digits; ++i) {
    size_t digit = static_cast<size_t>(text[i] - '0');
    if (number > (std::numeric_limits<size_t>::max() - digit) / 10) {
      return Status::InvalidArgument("size \"" + std::string(text) + "\" is too large");
    }
    number = number * 10 + digit;
  }
  int shift = UnitShift(text.substr(digits));
  if (shift < 0) {
    return Status::InvalidArgument("size \"" + std::string(text) +
                                   "\" has an unknown unit (use B, KB, MB, GB or TB)");
  }
  if (shift > 0 && number > (std::numeric_limits<size_t>::max() >> shift)) {
    return Status::InvalidArgument("size \"" + std::string(text) + "\" is too large");
  }
  return number << shift;
}

Result<LmdbOptions> ParseLmdbOptions(const BackendConfig& config) {
  LmdbOptions options;
  bool have_path = false;
  for (const auto& [name, value] : config) {
    if (name == "path") {
      if (value.empty()) {
        return Status::InvalidArgument("parameter \"path\" must not be empty");
      }
      options.path = value;
      have_path = true;
    } else if (name == "map_size") {
      auto size = ParseByteSize(value);
      if (!size.ok()) {
        return size.status().Annotate("parameter \"map_size\"");
      }
      if (*size < kLmdbMinMapSize) {
        return Status::InvalidArgument("parameter \"map_size\" must be at least 1MB");
      }
      options.map_size = *size;
    } else {
      return Status::InvalidArgument("unknown parameter \"" + name +
                                     "\" (lmdb takes \"path\" and \"map_size\")");
    }
  }
  if (!have_path) {
    return Status::InvalidArgument("parameter \"path\" is required");
  }
  return options;
}

}  // namespace coffer::storage
