#include "auth/approle/secret_id_entry.h"

#include "auth/approle/stored_reader.h"
#include "base/encoding.h"
#include "base/time_format.h"

namespace coffer::auth::approle {

namespace {

using nlohmann::json;

// Go's zero time.Time, which Vault shows for a secret-id that never expires.
constexpr char kGoZeroTime[] = "0001-01-01T00:00:00Z";

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' ||
                        s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// FromJsonObject fills `out` from a JSON object of strings; false when
// `text` is not one.
bool FromJsonObject(std::string_view text, std::map<std::string, std::string>* out) {
  json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) {
    return false;
  }
  std::map<std::string, std::string> result;
  for (const auto& [key, value] : parsed.items()) {
    if (!value.is_string()) {
      return false;
    }
    result[key] = value.get<std::string>();
  }
  *out = std::move(result);
  return true;
}

// FromKeyValues fills `out` from "k1=v1,k2=v2" (Vault's ParseKeyValues).
Status FromKeyValues(std::string_view text, std::map<std::string, std::string>* out) {
  while (true) {
    const size_t comma = text.find(',');
    std::string_view pair = Trim(text.substr(0, comma));
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos || Trim(pair.substr(0, eq)).empty()) {
      return Status::InvalidArgument("failed to parse metadata: invalid key/value pair \"" +
                                     std::string(pair) + "\": format must be key=value");
    }
    (*out)[std::string(Trim(pair.substr(0, eq)))] = std::string(Trim(pair.substr(eq + 1)));
    if (comma == std::string_view::npos) {
      return Status::Ok();
    }
    text.remove_prefix(comma + 1);
  }
}

std::string FormatTime(int64_t unix_nanos) {
  return unix_nanos == 0 ? std::string(kGoZeroTime) : FormatRfc3339Nano(unix_nanos);
}

}  // namespace

json SecretIdEntry::ToStored() const {
  return {{"secret_id_accessor", accessor},
          {"secret_id_num_uses", num_uses},
          {"secret_id_ttl", ttl},
          {"creation_time", creation_nanos},
          {"expiration_time", expiration_nanos},
          {"last_updated_time", last_updated_nanos},
          {"metadata", metadata},
          {"cidr_list", cidr_list},
          {"token_bound_cidrs", token_bound_cidrs}};
}

Result<SecretIdEntry> SecretIdEntry::FromStored(const json& stored) {
  StoredReader r(stored, "approle secret-id");
  SecretIdEntry entry;
  entry.accessor = r.String("secret_id_accessor");
  entry.num_uses = r.Int("secret_id_num_uses");
  entry.ttl = r.Int("secret_id_ttl");
  entry.creation_nanos = r.Int("creation_time");
  entry.expiration_nanos = r.Int("expiration_time");
  entry.last_updated_nanos = r.Int("last_updated_time");
  entry.metadata = r.StringMap("metadata");
  entry.cidr_list = r.Strings("cidr_list");
  entry.token_bound_cidrs = r.Strings("token_bound_cidrs");
  COFFER_RETURN_IF_ERROR(r.status());
  if (entry.accessor.empty() || entry.num_uses < 0) {
    return Status::Corruption("approle secret-id entry is incomplete");
  }
  return entry;
}

json SecretIdEntry::ToResponseData() const {
  return {{"secret_id_accessor", accessor},
          {"secret_id_num_uses", num_uses},
          {"secret_id_ttl", ttl},
          {"creation_time", FormatTime(creation_nanos)},
          {"expiration_time", FormatTime(expiration_nanos)},
          {"last_updated_time", FormatTime(last_updated_nanos)},
          {"metadata", metadata},
          {"cidr_list", cidr_list},
          {"token_bound_cidrs", token_bound_cidrs}};
}

Result<std::map<std::string, std::string>> ParseSecretIdMetadata(std::string_view input) {
  std::map<std::string, std::string> out;
  input = Trim(input);
  if (input.empty()) {
    return out;
  }
  // As Vault: base64 that decodes is taken as the input.
  std::string text(input);
  if (std::optional<std::string> decoded = Base64Decode(text)) {
    text = std::move(*decoded);
  }
  if (!FromJsonObject(text, &out)) {
    out.clear();
    COFFER_RETURN_IF_ERROR(FromKeyValues(text, &out));
  }
  for (const auto& [key, value] : out) {
    if (!key.empty() && value.empty()) {
      return Status::InvalidArgument("failed to parse metadata: invalid value for key \"" + key +
                                     "\"");
    }
  }
  return out;
}

}  // namespace coffer::auth::approle
