#include "core/sys_seal_api.h"

#include <chrono>

#include "base/encoding.h"
#include "core/core.h"
#include "core/health.h"
#include "crypto/secure_buffer.h"
#include "seal/shamir_seal.h"

namespace coffer::core {

namespace {

using nlohmann::json;

json SealStatusBody(Core& core) {
  SealStatus s = core.GetSealStatus();
  json body = {{"type", "shamir"},
               {"initialized", s.initialized},
               {"sealed", s.sealed},
               {"t", s.threshold},
               {"n", s.shares},
               {"progress", s.progress},
               {"nonce", s.nonce},
               {"version", kVersion},
               {"build_date", ""},
               {"migration", false},
               {"recovery_seal", false},
               {"storage_type", core.storage_type()}};
  if (!s.sealed) {
    body["cluster_name"] = s.cluster_name;
    body["cluster_id"] = s.cluster_id;
  }
  return body;
}

// IntField reads an optional non-negative integer field; JSON numbers only,
// as Vault's typed decoding.
Result<int> IntField(const json& data, const char* name) {
  auto it = data.find(name);
  if (it == data.end() || it->is_null()) {
    return 0;
  }
  if (!it->is_number_integer() || it->get<int64_t>() < 0 || it->get<int64_t>() > 1000000) {
    return Status::InvalidArgument(std::string("'") + name + "' must be a non-negative integer");
  }
  return static_cast<int>(it->get<int64_t>());
}

bool NonEmpty(const json& data, const char* name) {
  auto it = data.find(name);
  if (it == data.end() || it->is_null()) {
    return false;
  }
  return !(it->is_string() && it->get<std::string>().empty()) &&
         !(it->is_array() && it->empty());
}

Result<Response> HandleInit(Core& core, const Request& req) {
  if (req.operation == Operation::kRead) {
    return Response::Raw({{"initialized", core.initialized()}});
  }
  if (req.operation != Operation::kUpdate) {
    return Status::Unsupported("unsupported operation");
  }
  for (const char* unsupported : {"pgp_keys", "root_token_pgp_key", "recovery_pgp_keys"}) {
    if (NonEmpty(req.data, unsupported)) {
      return Status::InvalidArgument(std::string("'") + unsupported +
                                     "' is not supported: PGP-encrypted key shares are not "
                                     "available in coffer");
    }
  }
  COFFER_ASSIGN_OR_RETURN(int stored_shares, IntField(req.data, "stored_shares"));
  if (stored_shares != 0) {
    return Status::InvalidArgument("'stored_shares' is only valid with an auto-unseal seal");
  }
  COFFER_ASSIGN_OR_RETURN(int recovery_shares, IntField(req.data, "recovery_shares"));
  COFFER_ASSIGN_OR_RETURN(int recovery_threshold, IntField(req.data, "recovery_threshold"));
  if (recovery_shares != 0 || recovery_threshold != 0) {
    return Status::InvalidArgument("recovery keys are only valid with an auto-unseal seal");
  }
  SealConfig config;
  COFFER_ASSIGN_OR_RETURN(config.secret_shares, IntField(req.data, "secret_shares"));
  COFFER_ASSIGN_OR_RETURN(config.secret_threshold, IntField(req.data, "secret_threshold"));
  COFFER_ASSIGN_OR_RETURN(InitResult result, core.Initialize(config));
  return Response::Raw({{"keys", result.keys_hex},
                        {"keys_base64", result.keys_base64},
                        {"root_token", result.root_token}});
}

// DecodeShare accepts hex, or base64 when the text is not hex of a share's
// length (a base64 string can also be valid hex, as Vault notes).
Result<crypto::SecureBuffer> DecodeShare(const std::string& text) {
  std::optional<std::string> bytes = HexDecode(text);
  if (!bytes || bytes->size() != seal::kShareSize) {
    if (bytes) {
      crypto::Wipe(bytes->data(), bytes->size());
    }
    bytes = Base64Decode(text);
    if (!bytes) {
      return Status::InvalidArgument("'key' must be a valid hex or base64 string");
    }
  }
  crypto::SecureBuffer share = crypto::SecureBuffer::FromBytes(*bytes);
  crypto::Wipe(bytes->data(), bytes->size());
  return share;
}

// FindField looks a field up case-insensitively: Vault decodes the unseal
// body into a Go struct, which matches "Key" and "key" alike.
const json* FindField(const json& data, std::string_view name) {
  for (auto it = data.begin(); it != data.end(); ++it) {
    const std::string& k = it.key();
    if (k.size() == name.size() &&
        std::equal(k.begin(), k.end(), name.begin(),
                   [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
      return &it.value();
    }
  }
  return nullptr;
}

Result<Response> HandleUnseal(Core& core, const Request& req) {
  if (req.operation != Operation::kUpdate) {
    return Status::Unsupported("unsupported operation");
  }
  const json* reset = FindField(req.data, "reset");
  if (reset != nullptr && !reset->is_null() && !reset->is_boolean()) {
    return Status::InvalidArgument("'reset' must be a boolean");
  }
  const json* migrate = FindField(req.data, "migrate");
  if (migrate != nullptr && migrate->is_boolean() && migrate->get<bool>()) {
    return Status::InvalidArgument("seal migration is not supported");
  }
  if (reset != nullptr && reset->is_boolean() && reset->get<bool>()) {
    if (!core.sealed()) {
      return Status::InvalidArgument("vault is unsealed");
    }
    core.ResetUnseal();
    return Response::Raw(SealStatusBody(core));
  }
  const json* key = FindField(req.data, "key");
  if (key == nullptr || !key->is_string() || key->get_ref<const std::string&>().empty()) {
    return Status::InvalidArgument(
        "'key' must be specified in request body as JSON, or 'reset' set to true");
  }
  COFFER_ASSIGN_OR_RETURN(crypto::SecureBuffer share,
                          DecodeShare(key->get_ref<const std::string&>()));
  COFFER_RETURN_IF_ERROR(core.SubmitUnsealKey(std::move(share)));
  return Response::Raw(SealStatusBody(core));
}

Result<Response> HandleHealth(Core& core, const Request& req) {
  if (req.operation != Operation::kRead) {
    return Status::Unsupported("unsupported operation");
  }
  NodeState state;
  state.initialized = core.initialized();
  state.sealed = core.sealed();
  COFFER_ASSIGN_OR_RETURN(int code, HealthStatusCode(state, req.query));
  const bool active = state.initialized && !state.sealed;
  json body = {{"initialized", state.initialized},
               {"sealed", state.sealed},
               {"standby", !active},
               {"performance_standby", false},
               {"replication_performance_mode", active ? "disabled" : "unknown"},
               {"replication_dr_mode", active ? "disabled" : "unknown"},
               {"server_time_utc", std::chrono::duration_cast<std::chrono::seconds>(
                                       core.clock().Now().time_since_epoch())
                                       .count()},
               {"version", kVersion}};
  if (active) {
    SealStatus s = core.GetSealStatus();
    body["cluster_name"] = s.cluster_name;
    body["cluster_id"] = s.cluster_id;
  }
  return Response::Raw(std::move(body), code);
}

Result<Response> HandleLeader(Core& core, const Request& req) {
  if (req.operation != Operation::kRead) {
    return Status::Unsupported("unsupported operation");
  }
  if (!core.initialized()) {
    return Status::NotInitialized();
  }
  if (core.sealed()) {
    return Status::Sealed();
  }
  // A single node without an HA backend: Vault answers ha_enabled false.
  return Response::Raw({{"ha_enabled", false},
                        {"is_self", false},
                        // Go's zero time, which Vault sends when there is no active node.
                        {"active_time", "0001-01-01T00:00:00Z"},
                        {"leader_address", ""},
                        {"leader_cluster_address", ""},
                        {"performance_standby", false},
                        {"performance_standby_last_remote_wal", 0},
                        {"raft_committed_index", 0},
                        {"raft_applied_index", 0}});
}

}  // namespace

std::optional<Result<Response>> HandleSealApi(Core& core, const Request& request) {
  const std::string& p = request.path;
  if (p == "sys/init") {
    return HandleInit(core, request);
  }
  if (p == "sys/seal-status") {
    if (request.operation != Operation::kRead) {
      return Result<Response>(Status::Unsupported("unsupported operation"));
    }
    return Response::Raw(SealStatusBody(core));
  }
  if (p == "sys/unseal") {
    return HandleUnseal(core, request);
  }
  if (p == "sys/health") {
    return HandleHealth(core, request);
  }
  if (p == "sys/leader") {
    return HandleLeader(core, request);
  }
  return std::nullopt;
}

}  // namespace coffer::core
