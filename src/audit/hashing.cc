#include "audit/hashing.h"

#include "base/encoding.h"
#include "crypto/hash.h"

namespace coffer::audit {

namespace {

using nlohmann::json;

// Hashing walks one entry with one salt and what is known about it.
struct Hasher {
  const Salt& salt;
  const KnownHashes* known;

  void String(json& value) const {
    if (!value.is_string()) {
      return;
    }
    const auto& s = value.get_ref<const std::string&>();
    if (s.empty()) {
      return;
    }
    std::string scratch;
    value = HashOf(s, salt, known, &scratch);
  }

  // Every string below `value`, whatever its depth.
  void Structure(json& value) const {
    if (value.is_string()) {
      String(value);
    } else if (value.is_object() || value.is_array()) {
      for (auto& child : value) {
        Structure(child);
      }
    }
  }

  void Member(json& parent, const char* name) const;
  void Auth(json& auth, bool hmac_accessor) const {
    Member(auth, "client_token");
    if (hmac_accessor) {
      Member(auth, "accessor");
    }
  }
};

json* Find(json& parent, const char* name) {
  if (!parent.is_object()) {
    return nullptr;
  }
  auto it = parent.find(name);
  return it == parent.end() ? nullptr : &*it;
}

void Hasher::Member(json& parent, const char* name) const {
  if (json* m = Find(parent, name)) {
    String(*m);
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

const std::string* KnownHashes::Find(std::string_view raw) const {
  for (const auto& [value, hashed] : values) {
    if (value == raw) {
      return &hashed;
    }
  }
  return nullptr;
}

const std::string& HashOf(std::string_view raw, const Salt& salt, const KnownHashes* known,
                          std::string* scratch) {
  if (known != nullptr) {
    if (const std::string* hashed = known->Find(raw)) {
      return *hashed;
    }
  }
  *scratch = salt.Hash(raw);
  return *scratch;
}

const std::string& StringHasher::Rewrite(const std::string& value, std::string* scratch) const {
  return value.empty() ? value : HashOf(value, salt_, known_, scratch);
}

void HashEntry(json& entry, const Salt& salt, bool hmac_accessor, const KnownHashes* known) {
  const Hasher h{salt, known};
  if (json* auth = Find(entry, "auth")) {
    h.Auth(*auth, hmac_accessor);
  }
  if (json* request = Find(entry, "request")) {
    h.Member(*request, "client_token");
    if (hmac_accessor) {
      h.Member(*request, "client_token_accessor");
    }
    if (json* data = Find(*request, "data")) {
      h.Structure(*data);
    }
  }
  if (json* response = Find(entry, "response")) {
    if (json* auth = Find(*response, "auth")) {
      h.Auth(*auth, hmac_accessor);
    }
    if (json* data = Find(*response, "data")) {
      h.Structure(*data);
    }
    if (json* wrap = Find(*response, "wrap_info")) {
      h.Member(*wrap, "token");
      if (hmac_accessor) {
        h.Member(*wrap, "accessor");
        h.Member(*wrap, "wrapped_accessor");
      }
    }
  }
}

}  // namespace coffer::audit
