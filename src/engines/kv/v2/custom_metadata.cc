#include "engines/kv/v2/custom_metadata.h"

#include <string_view>
#include <vector>

#include "core/framework/weak_decode.h"

namespace coffer::engines::kv {

namespace {

constexpr size_t kMaxKeys = 64;
constexpr size_t kMaxKeyLength = 128;
constexpr size_t kMaxValueLength = 512;
constexpr char kPrefix[] = "custom_metadata validation failed";

// Printable rejects ASCII control characters; multi-byte UTF-8 passes.
bool Printable(std::string_view s) {
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      return false;
    }
  }
  return true;
}

}  // namespace

Result<CustomMetadata> ParseCustomMetadata(const nlohmann::json& object, bool skip_nulls) {
  CustomMetadata out;
  if (!object.is_object()) {
    return Status::InvalidArgument(std::string(kPrefix) + ": expected a map");
  }
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (skip_nulls && it.value().is_null()) {
      continue;
    }
    Result<std::string> value = core::framework::WeakString(it.value());
    if (!value.ok()) {
      return Status::InvalidArgument(std::string(kPrefix) + ": " + value.status().message());
    }
    out.emplace(it.key(), std::move(value).value());
  }
  return out;
}

Status ValidateCustomMetadata(const CustomMetadata& metadata) {
  if (metadata.size() > kMaxKeys) {
    return Status::InvalidArgument(std::string(kPrefix) + ": payload must contain at most " +
                                   std::to_string(kMaxKeys) + " keys, provided " +
                                   std::to_string(metadata.size()));
  }
  std::vector<std::string> problems;
  for (const auto& [key, value] : metadata) {
    if (key.empty() || key.size() > kMaxKeyLength) {
      problems.push_back(std::string(kPrefix) + ": length of key \"" + key + "\" is " +
                         std::to_string(key.size()) + " but must be 0 < len(key) <= " +
                         std::to_string(kMaxKeyLength));
    }
    if (value.empty() || value.size() > kMaxValueLength) {
      problems.push_back(std::string(kPrefix) + ": length of value for key \"" + key + "\" is " +
                         std::to_string(value.size()) + " but must be 0 < len(value) <= " +
                         std::to_string(kMaxValueLength));
    }
    if (!Printable(key)) {
      problems.push_back(std::string(kPrefix) + ": key \"" + key +
                         "\" contains unprintable characters");
    }
    if (!Printable(value)) {
      problems.push_back(std::string(kPrefix) + ": value for key \"" + key +
                         "\" contains unprintable characters");
    }
  }
  if (problems.empty()) {
    return Status::Ok();
  }
  std::string message = problems.front();
  for (size_t i = 1; i < problems.size(); ++i) {
    message += "; " + problems[i];
  }
  return Status::InvalidArgument(message);
}

}  // namespace coffer::engines::kv
