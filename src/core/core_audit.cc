// The audit table: enabled audit devices, persisted (encrypted, with each
// device's HMAC salt) at core/audit and opened again on every unseal.
#include "base/encoding.h"
#include "core/core.h"
#include "core/framework/json_util.h"
#include "crypto/hash.h"
#include "crypto/random.h"

namespace coffer::core {

namespace {

using nlohmann::json;

constexpr std::string_view kAuditTableKey = "core/audit";
constexpr std::string_view kCheckpointKeyLabel = "audit-checkpoint";

struct StoredDevice {
  audit::DeviceSpec spec;
  std::string salt_hex;
};

json Encode(const std::vector<StoredDevice>& devices) {
  json table = json::array();
  for (const auto& d : devices) {
    table.push_back({{"path", d.spec.path},
                     {"type", d.spec.type},
                     {"description", d.spec.description},
                     {"options", d.spec.options},
                     {"local", d.spec.local},
                     {"salt", d.salt_hex}});
  }
  return table;
}

Result<std::vector<StoredDevice>> Decode(std::string_view bytes) {
  COFFER_ASSIGN_OR_RETURN(json table, framework::DecodeStoredJson(bytes, "audit table"));
  std::vector<StoredDevice> out;
  if (!table.is_array()) {
    return Status::Corruption("stored audit table is not an array");
  }
  for (const auto& j : table) {
    if (!j.is_object() || !j.value("path", json()).is_string() ||
        !j.value("type", json()).is_string() || !j.value("salt", json()).is_string()) {
      return Status::Corruption("stored audit table entry is malformed");
    }
    StoredDevice d;
    d.spec.path = j["path"].get<std::string>();
    d.spec.type = j["type"].get<std::string>();
    d.spec.description = j.value("description", "");
    d.spec.local = j.value("local", false);
    COFFER_ASSIGN_OR_RETURN(d.spec.options,
                            framework::StringMapFromJson(j.value("options", json()), "options"));
    d.salt_hex = j["salt"].get<std::string>();
    out.push_back(std::move(d));
  }
  return out;
}

Result<std::vector<StoredDevice>> LoadTable(barrier::Barrier& barrier) {
  auto stored = barrier.Get(kAuditTableKey);
  if (!stored.ok()) {
    if (stored.status().IsNotFound()) {
      return std::vector<StoredDevice>();
    }
    return stored.status();
  }
  return Decode(*stored);
}

Result<crypto::SecureBuffer> SaltFromHex(const std::string& hex) {
  auto bytes = HexDecode(hex);
  if (!bytes || bytes->empty()) {
    return Status::Corruption("stored audit salt is malformed");
  }
  crypto::SecureBuffer salt = crypto::SecureBuffer::FromBytes(*bytes);
  crypto::Wipe(bytes->data(), bytes->size());
  return salt;
}

Result<std::unique_ptr<audit::Device>> OpenAuditDevice(barrier::Barrier& barrier,
                                                       const Clock& clock,
                                                       audit::DeviceSpec spec,
                                                       const std::string& salt_hex, bool strict) {
  COFFER_ASSIGN_OR_RETURN(crypto::SecureBuffer salt, SaltFromHex(salt_hex));
  COFFER_ASSIGN_OR_RETURN(crypto::SecureBuffer checkpoint_key,
                          barrier.DeriveKey(kCheckpointKeyLabel));
  return audit::Device::Open(std::move(spec), std::move(salt), std::move(checkpoint_key), clock,
                             strict);
}

}  // namespace

Status Core::EnableAudit(audit::DeviceSpec spec) {
  if (spec.path.empty() || spec.path == "/") {
    return Status::InvalidArgument("audit device path must not be empty");
  }
  if (spec.path.back() != '/') {
    spec.path.push_back('/');
  }
  if (spec.path.find("..") != std::string::npos || spec.path.front() == '/') {
    return Status::InvalidArgument("invalid audit device path \"" + spec.path + "\"");
  }
  std::lock_guard lock(audit_mu_);
  COFFER_ASSIGN_OR_RETURN(std::vector<StoredDevice> table, LoadTable(barrier_));
  for (const auto& d : table) {
    if (d.spec.path == spec.path) {
      return Status::InvalidArgument("path \"" + spec.path + "\" is already in use");
    }
  }
  COFFER_ASSIGN_OR_RETURN(std::string salt, crypto::RandomString(32));
  StoredDevice stored{spec, HexEncode(salt)};
  auto device = OpenAuditDevice(barrier_, *options_.clock, spec, stored.salt_hex,
                                /*strict=*/true);
  if (!device.ok()) {
    // The caller asked for a destination that does not work: a client
    // error, and the message (naming the destination) is theirs to see.
    return Status::InvalidArgument("cannot enable audit device \"" + spec.path +
                                   "\": " + device.status().message());
  }
  table.push_back(std::move(stored));
  COFFER_ASSIGN_OR_RETURN(std::string encoded, framework::EncodeJson(Encode(table)));
  COFFER_RETURN_IF_ERROR(barrier_.Put(kAuditTableKey, encoded));
  return audit_.Enable(std::move(*device));
}

Status Core::DisableAudit(const std::string& path_in) {
  std::string path = path_in;
  if (!path.empty() && path.back() != '/') {
    path.push_back('/');
  }
  std::lock_guard lock(audit_mu_);
  COFFER_ASSIGN_OR_RETURN(std::vector<StoredDevice> table, LoadTable(barrier_));
  std::vector<StoredDevice> kept;
  for (auto& d : table) {
    if (d.spec.path != path) {
      kept.push_back(std::move(d));
    }
  }
  if (kept.size() == table.size()) {
    // Vault answers a disable of nothing with success.
    return Status::Ok();
  }
  COFFER_ASSIGN_OR_RETURN(std::string encoded, framework::EncodeJson(Encode(kept)));
  COFFER_RETURN_IF_ERROR(barrier_.Put(kAuditTableKey, encoded));
  (void)audit_.Disable(path);
  return Status::Ok();
}

Result<std::string> Core::AuditHash(const std::string& path_in, std::string_view input) const {
  std::string path = path_in;
  if (!path.empty() && path.back() != '/') {
    path.push_back('/');
  }
  return audit_.Hash(path, input);
}

Result<bool> Core::AuditCheckpointValid(uint64_t seq, std::string_view prev,
                                        std::string_view hmac_hex) {
  COFFER_ASSIGN_OR_RETURN(crypto::SecureBuffer key, barrier_.DeriveKey(kCheckpointKeyLabel));
  auto given = HexDecode(hmac_hex);
  if (!given) {
    return Status::InvalidArgument("\"hmac\" must be hex");
  }
  const std::string expected = crypto::HmacSha256(key, audit::CheckpointMessage(seq, prev));
  return crypto::ConstantTimeEquals(expected, *given);
}

Status Core::SetupAudit() {
  std::lock_guard lock(audit_mu_);
  audit_.DisableAll();
  COFFER_ASSIGN_OR_RETURN(std::vector<StoredDevice> table, LoadTable(barrier_));
  for (auto& d : table) {
    // Not strict: a destination that is down on unseal is retried on every
    // write; until one device writes, requests fail closed.
    COFFER_ASSIGN_OR_RETURN(auto device, OpenAuditDevice(barrier_, *options_.clock, d.spec,
                                                         d.salt_hex, /*strict=*/false));
    COFFER_RETURN_IF_ERROR(audit_.Enable(std::move(device)));
  }
  return Status::Ok();
}

}  // namespace coffer::core
