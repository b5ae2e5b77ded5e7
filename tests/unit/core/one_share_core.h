// What many core tests share: a core initialized with a single unseal key
// share and unsealed, and requests served through its whole pipeline.
#pragma once

#include <string>

#include "base/encoding.h"
#include "base/status.h"
#include "core/core.h"
#include "crypto/secure_buffer.h"

namespace coffer::core::testing {

struct OneShare {
  std::string root_token;
  std::string key_hex;  // the one unseal key share, to unseal again
};

// UnsealWith submits `key_hex` as an unseal key share.
inline Status UnsealWith(Core& core, const std::string& key_hex) {
  auto bytes = HexDecode(key_hex);
  if (!bytes.has_value()) {
    return Status::InvalidArgument("key share is not hex");
  }
  return core.SubmitUnsealKey(crypto::SecureBuffer::FromBytes(*bytes));
}

// InitWithOneShare initializes `core` (1 share, threshold 1) and unseals it.
inline Result<OneShare> InitWithOneShare(Core& core) {
  SealConfig config;
  config.secret_shares = 1;
  config.secret_threshold = 1;
  COFFER_ASSIGN_OR_RETURN(InitResult init, core.Initialize(config));
  OneShare share{init.root_token, init.keys_hex[0]};
  COFFER_RETURN_IF_ERROR(UnsealWith(core, share.key_hex));
  return share;
}

// Call serves one request through the core's pipeline.
inline Result<Response> Call(Core& core, Operation operation, std::string path,
                             std::string token, nlohmann::json data = nlohmann::json::object()) {
  Request request;
  request.operation = operation;
  request.path = std::move(path);
  request.client_token = std::move(token);
  request.data = std::move(data);
  return core.Handle(request);
}

}  // namespace coffer::core::testing
