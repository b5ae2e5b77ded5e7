#include "core/mount_table.h"

namespace coffer::core {

using nlohmann::json;

json MountEntry::ToStored() const {
  return {{"path", path},
          {"type", type},
          {"description", description},
          {"uuid", uuid},
          {"accessor", accessor},
          {"options", options},
          {"default_lease_ttl", default_lease_ttl},
          {"max_lease_ttl", max_lease_ttl},
          {"local", local},
          {"seal_wrap", seal_wrap},
          {"external_entropy_access", external_entropy_access},
          {"audit_non_hmac_request_keys", audit_non_hmac_request_keys},
          {"audit_non_hmac_response_keys", audit_non_hmac_response_keys},
          {"listing_visibility", listing_visibility},
          {"passthrough_request_headers", passthrough_request_headers},
          {"allowed_response_headers", allowed_response_headers},
          {"created_unix", created_unix},
          {"user_lockout",
           {{"threshold", user_lockout.threshold},
            {"duration", user_lockout.duration},
            {"counter_reset", user_lockout.counter_reset},
            {"disabled", user_lockout.disabled}}}};
}

Result<MountEntry> MountEntry::FromStored(const json& j) {
  // The table is authenticated by the barrier, so a type mismatch here means
  // a bug or a format change, not an attack; report it as corruption.
  try {
    MountEntry e;
    e.path = j.at("path").get<std::string>();
    e.type = j.at("type").get<std::string>();
    e.description = j.value("description", "");
    e.uuid = j.at("uuid").get<std::string>();
    e.accessor = j.value("accessor", "");
    e.options = j.value("options", std::map<std::string, std::string>{});
    e.default_lease_ttl = j.value("default_lease_ttl", int64_t{0});
    e.max_lease_ttl = j.value("max_lease_ttl", int64_t{0});
    e.local = j.value("local", false);
    e.seal_wrap = j.value("seal_wrap", false);
    e.external_entropy_access = j.value("external_entropy_access", false);
    e.audit_non_hmac_request_keys = j.value("audit_non_hmac_request_keys", std::vector<std::string>{});
    e.audit_non_hmac_response_keys =
        j.value("audit_non_hmac_response_keys", std::vector<std::string>{});
    e.listing_visibility = j.value("listing_visibility", "");
    e.passthrough_request_headers = j.value("passthrough_request_headers", std::vector<std::string>{});
    e.allowed_response_headers = j.value("allowed_response_headers", std::vector<std::string>{});
    e.created_unix = j.value("created_unix", int64_t{0});
    if (auto lockout = j.find("user_lockout"); lockout != j.end() && lockout->is_object()) {
      e.user_lockout.threshold = lockout->value("threshold", e.user_lockout.threshold);
      e.user_lockout.duration = lockout->value("duration", e.user_lockout.duration);
      e.user_lockout.counter_reset = lockout->value("counter_reset", e.user_lockout.counter_reset);
      e.user_lockout.disabled = lockout->value("disabled", false);
    }
    return e;
  } catch (const json::exception& ex) {
    return Status::Corruption(std::string("stored mount entry is malformed: ") + ex.what());
  }
}

std::string EncodeMountTable(const std::vector<MountEntry>& entries) {
  json arr = json::array();
  for (const auto& e : entries) {
    arr.push_back(e.ToStored());
  }
  return json{{"entries", arr}}.dump();
}

Result<std::vector<MountEntry>> DecodeMountTable(std::string_view bytes) {
  json j = json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("entries") || !j["entries"].is_array()) {
    return Status::Corruption("stored mount table is malformed");
  }
  std::vector<MountEntry> out;
  for (const auto& item : j["entries"]) {
    COFFER_ASSIGN_OR_RETURN(MountEntry e, MountEntry::FromStored(item));
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::string> NormalizeMountPath(std::string_view path) {
  while (!path.empty() && path.front() == '/') {
    path.remove_prefix(1);
  }
  while (!path.empty() && path.back() == '/') {
    path.remove_suffix(1);
  }
  if (path.empty()) {
    return Status::InvalidArgument("mount path must not be empty");
  }
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    std::string_view segment = path.substr(start, end == std::string_view::npos ? end : end - start);
    if (segment.empty() || segment == "." || segment == "..") {
      return Status::InvalidArgument("mount path \"" + std::string(path) +
                                     "\" has an empty or relative segment");
    }
    if (end == std::string_view::npos) {
      break;
    }
    start = end + 1;
  }
  for (char c : path) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == '*' || c == '+' || c == '?' || c == '#' || c == '%') {
      return Status::InvalidArgument("mount path \"" + std::string(path) +
                                     "\" contains a character that is not allowed");
    }
  }
  return std::string(path) + "/";
}

}  // namespace coffer::core
