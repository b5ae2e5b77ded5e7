#include "audit/hashing.h"

#include "base/encoding.h"
#include "crypto/hash.h"

namespace coffer::audit {

namespace {

using nlohmann::json;

void HashString(json& value, const Salt& salt) {
  if (value.is_string()) {
    const auto& s = value.get_ref<const std::string&>();
    if (!s.empty()) {
      value = salt.Hash(s);
    }
  }
}

// Every string below `value`, whatever its depth.
void HashStructure(json& value, const Salt& salt) {
  if (value.is_string()) {
    HashString(value, salt);
  } else if (value.is_object() || value.is_array()) {
    for (auto& child : value) {
      HashStructure(child, salt);
    }
  }
}

json* Member(json& parent, const char* name) {
  if (!parent.is_object()) {
    return nullptr;
  }
  auto it = parent.find(name);
  return it == parent.end() ? nullptr : &*it;
}

void HashMember(json& parent, const char* name, const Salt& salt) {
  if (json* m = Member(parent, name)) {
    HashString(*m, salt);
  }
}

void HashAuth(json& auth, const Salt& salt, bool hmac_accessor) {
  HashMember(auth, "client_token", salt);
  if (hmac_accessor) {
    HashMember(auth, "accessor", salt);
  }
}

}  // namespace

std::string Salt::Hash(std::string_view value) const {
  unsigned char mac[32];
  key_.MacInto(value, mac);
  std::string out = "hmac-sha256:";
  out += HexEncode(std::string_view(reinterpret_cast<const char*>(mac), sizeof(mac)));
  return out;
}

void HashEntry(json& entry, const Salt& salt, bool hmac_accessor) {
  if (json* auth = Member(entry, "auth")) {
    HashAuth(*auth, salt, hmac_accessor);
  }
  if (json* request = Member(entry, "request")) {
    HashMember(*request, "client_token", salt);
    if (hmac_accessor) {
      HashMember(*request, "client_token_accessor", salt);
    }
    if (json* data = Member(*request, "data")) {
      HashStructure(*data, salt);
    }
  }
  if (json* response = Member(entry, "response")) {
    if (json* auth = Member(*response, "auth")) {
      HashAuth(*auth, salt, hmac_accessor);
    }
    if (json* data = Member(*response, "data")) {
      HashStructure(*data, salt);
    }
    if (json* wrap = Member(*response, "wrap_info")) {
      HashMember(*wrap, "token", salt);
      if (hmac_accessor) {
        HashMember(*wrap, "accessor", salt);
        HashMember(*wrap, "wrapped_accessor", salt);
      }
    }
  }
}

}  // namespace coffer::audit
