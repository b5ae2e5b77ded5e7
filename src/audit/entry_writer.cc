#include "audit/entry_writer.h"

#include <charconv>
#include <initializer_list>

#include "base/compact_json.h"
#include "base/encoded_json.h"

namespace coffer::audit {

namespace {

using nlohmann::json;

// HashedValue is what HashEntry leaves in place of a sensitive string:
// itself when empty or when not hashing, else a known hash or a new one
// (kept in `*scratch`).
std::string_view HashedValue(std::string_view raw, const MemberHashing& hashing,
                             std::string* scratch) {
  if (raw.empty() || hashing.salt == nullptr) {
    return raw;
  }
  return HashOf(raw, *hashing.salt, hashing.known, scratch);
}

void AppendHashedString(std::string* out, std::string_view raw, const MemberHashing& hashing) {
  std::string scratch;
  AppendJsonString(out, HashedValue(raw, hashing, &scratch));
}

// AppendKey writes `"key":` for a key known to need no escaping.
void AppendKey(std::string* out, std::string_view key) {
  out->push_back('"');
  out->append(key);
  out->append("\":");
}

// AppendData writes request or response data: every string in it hashed,
// whatever its depth (HashEntry's rule for "data").
void AppendData(std::string* out, const json& data, const MemberHashing& hashing) {
  if (hashing.salt == nullptr) {
    AppendCompactJson(out, data);
  } else {
    AppendCompactJson(out, data, StringHasher(*hashing.salt, hashing.known));
  }
}

// AppendWithHashedMembers writes `value`, hashing the string members of its
// top level named in `names` (HashEntry's rule for auth and wrap_info).
void AppendWithHashedMembers(std::string* out, const json& value,
                             std::initializer_list<std::string_view> names,
                             const MemberHashing& hashing) {
  if (!value.is_object() || hashing.salt == nullptr) {
    AppendCompactJson(out, value);
    return;
  }
  out->push_back('{');
  bool first = true;
  for (auto it = value.begin(); it != value.end(); ++it) {
    if (!first) {
      out->push_back(',');
    }
    first = false;
    AppendJsonString(out, it.key());
    out->push_back(':');
    bool hashed = false;
    if (it.value().is_string()) {
      for (std::string_view name : names) {
        if (it.key() == name) {
          AppendHashedString(out, it.value().get_ref<const std::string&>(), hashing);
          hashed = true;
          break;
        }
      }
    }
    if (!hashed) {
      AppendCompactJson(out, it.value());
    }
  }
  out->push_back('}');
}

}  // namespace

void AppendAuthMember(std::string* out, const json& auth, const MemberHashing& hashing,
                      KnownHashes* learned) {
  if (hashing.salt != nullptr && auth.is_object()) {
    for (const char* name : {"client_token", "accessor"}) {
      if (!hashing.hmac_accessor && std::string_view(name) == "accessor") {
        continue;
      }
      auto it = auth.find(name);
      if (it != auth.end() && it->is_string() && !it->get_ref<const std::string&>().empty()) {
        const std::string& raw = it->get_ref<const std::string&>();
        if (learned->Find(raw) == nullptr) {
          learned->values.emplace_back(raw, hashing.salt->Hash(raw));
        }
      }
    }
  }
  MemberHashing with_learned = hashing;
  with_learned.known = learned;
  if (hashing.hmac_accessor) {
    AppendWithHashedMembers(out, auth, {"client_token", "accessor"}, with_learned);
  } else {
    AppendWithHashedMembers(out, auth, {"client_token"}, with_learned);
  }
}

void AppendRequestMember(std::string* out, const RequestMember& request,
                         const MemberHashing& hashing) {
  // Keys in the order nlohmann writes them (sorted).
  out->push_back('{');
  AppendKey(out, "client_token");
  AppendHashedString(out, request.client_token, hashing);
  out->push_back(',');
  AppendKey(out, "client_token_accessor");
  if (hashing.hmac_accessor) {
    AppendHashedString(out, request.client_token_accessor, hashing);
  } else {
    AppendJsonString(out, request.client_token_accessor);
  }
  out->push_back(',');
  AppendKey(out, "data");
  if (request.data == nullptr) {
    out->append("null");
  } else {
    AppendData(out, *request.data, hashing);
  }
  out->push_back(',');
  AppendKey(out, "id");
  AppendJsonString(out, request.id);
  out->push_back(',');
  AppendKey(out, "mount_accessor");
  AppendJsonString(out, request.mount_accessor);
  out->push_back(',');
  AppendKey(out, "mount_type");
  AppendJsonString(out, request.mount_type);
  out->append(",\"namespace\":{\"id\":\"root\"},");
  AppendKey(out, "operation");
  AppendJsonString(out, request.operation);
  out->push_back(',');
  AppendKey(out, "path");
  AppendJsonString(out, request.path);
  out->push_back(',');
  AppendKey(out, "remote_address");
  AppendJsonString(out, request.remote_address);
  out->push_back(',');
  AppendKey(out, "wrap_ttl");
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), request.wrap_ttl);
  (void)ec;  // 24 bytes hold any 64-bit integer
  out->append(digits, end);
  out->push_back('}');
}

void AppendResponseMember(std::string* out, const ResponseMember& response,
                          const MemberHashing& hashing) {
  // Keys in the order nlohmann writes them (sorted): auth, data,
  // mount_accessor, mount_type, secret, warnings, wrap_info.
  out->push_back('{');
  if (response.auth != nullptr) {
    AppendKey(out, "auth");
    if (hashing.hmac_accessor) {
      AppendWithHashedMembers(out, *response.auth, {"client_token", "accessor"}, hashing);
    } else {
      AppendWithHashedMembers(out, *response.auth, {"client_token"}, hashing);
    }
    out->push_back(',');
  }
  if (response.data != nullptr) {
    AppendKey(out, "data");
    if (response.data_member_name.empty()) {
      AppendData(out, *response.data, hashing);
    } else if (hashing.salt == nullptr) {
      AppendObjectWithEncodedMember(out, *response.data, response.data_member_name,
                                    response.data_member_json, nullptr);
    } else if (hashing.members != nullptr) {
      const std::shared_ptr<const std::string> member =
          hashing.members->Hashed(response.data_member_json, *hashing.salt);
      StringHasher hasher(*hashing.salt, hashing.known);
      AppendObjectWithEncodedMember(out, *response.data, response.data_member_name, *member,
                                    &hasher, /*rewrite_member=*/nullptr);
    } else {
      StringHasher hasher(*hashing.salt, hashing.known);
      AppendObjectWithEncodedMember(out, *response.data, response.data_member_name,
                                    response.data_member_json, &hasher);
    }
    out->push_back(',');
  }
  AppendKey(out, "mount_accessor");
  AppendJsonString(out, response.mount_accessor);
  out->push_back(',');
  AppendKey(out, "mount_type");
  AppendJsonString(out, response.mount_type);
  if (!response.lease_id.empty()) {
    out->append(",\"secret\":{\"lease_id\":");
    AppendJsonString(out, response.lease_id);
    out->push_back('}');
  }
  if (response.warnings != nullptr && !response.warnings->empty()) {
    out->append(",\"warnings\":[");
    bool first = true;
    for (const std::string& warning : *response.warnings) {
      if (!first) {
        out->push_back(',');
      }
      first = false;
      AppendJsonString(out, warning);
    }
    out->push_back(']');
  }
  if (response.wrap_info != nullptr) {
    out->append(",\"wrap_info\":");
    if (hashing.hmac_accessor) {
      AppendWithHashedMembers(out, *response.wrap_info,
                              {"token", "accessor", "wrapped_accessor"}, hashing);
    } else {
      AppendWithHashedMembers(out, *response.wrap_info, {"token"}, hashing);
    }
  }
  out->push_back('}');
}

}  // namespace coffer::audit
