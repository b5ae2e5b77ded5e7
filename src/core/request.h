// The logical request and response, independent of HTTP. The http/ layer
// decodes a wire request into a Request and encodes a Response into Vault's
// JSON envelope; nothing below it sees HTTP.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/encoded_json.h"
#include "base/status.h"
#include "core/login.h"

namespace coffer::core {

enum class Operation { kRead, kCreate, kUpdate, kPatch, kDelete, kList, kHelp };

const char* OperationName(Operation op);

struct Request {
  // The request id the envelope carries back and the audit log records.
  std::string id;
  Operation operation = Operation::kRead;
  // Path below /v1/, without a leading slash, e.g. "sys/seal-status".
  std::string path;
  // The JSON body (an object) for writes; empty object otherwise.
  nlohmann::json data = nlohmann::json::object();
  // Decoded query parameters (GET ?standbyok=true&...).
  std::map<std::string, std::string> query;
  // From X-Vault-Token or Authorization: Bearer; empty when absent.
  std::string client_token;
  // Remote address of the client, "ip" (no port).
  std::string remote_address;
  // The TLS client certificate chain (leaf first, PEM), for cert auth;
  // empty on plain HTTP or when the client sent none.
  std::string client_cert_pem;
  // X-Vault-Wrap-TTL as given, empty when absent.
  std::string wrap_ttl;
  // The HTTP method as sent ("GET", "HEAD", ...); only a few sys endpoints
  // (health) look at it.
  std::string http_method;
};

// A secret an engine hands out under a lease (Vault's logical.Secret). The
// core turns it into a lease: it picks the TTL within the mount's limits,
// persists the lease and fills the response's lease_id, lease_duration and
// renewable.
struct SecretLease {
  // The engine's name for this kind of secret ("creds"); it is handed back
  // on renewal and revocation, so one engine can lease several kinds.
  std::string type;
  int64_t ttl = 0;      // seconds; 0: the mount's default lease TTL
  int64_t max_ttl = 0;  // seconds from issue; 0: the mount's max lease TTL
  bool renewable = true;
  // What the engine needs to renew or revoke the secret (a user name).
  // Stored with the lease behind the barrier; never returned to clients.
  nlohmann::json internal = nlohmann::json::object();
};

struct Response {
  // When raw is true, `data` is the whole body and `http_status` its status
  // code (Vault's sys endpoints such as seal-status and health answer like
  // this). Otherwise `data` goes into the envelope's "data" field, and a
  // response with null data and no auth is sent as 204 No Content.
  bool raw = false;
  int http_status = 200;
  nlohmann::json data;  // null by default
  // An engine serving JSON it stored itself may give one member of `data`
  // as that encoded text (see base/encoded_json.h), so a read neither
  // parses nor re-encodes it: `data` is then an object without the member.
  // Writers of the response (HTTP, audit) splice it in; code that reads the
  // data calls WholeData().
  struct EncodedMember {
    std::string name;
    std::string json;
  };
  std::optional<EncodedMember> encoded_data_member;
  std::vector<std::string> warnings;
  std::optional<nlohmann::json> auth;
  std::optional<nlohmann::json> wrap_info;
  std::string lease_id;
  bool renewable = false;
  int64_t lease_duration = 0;
  // Set by an engine whose response is a leased secret; see SecretLease.
  std::optional<SecretLease> secret;
  // Set by an auth method's login path: the core turns it into a token and
  // fills `auth` (the engine never sees the token store).
  std::optional<LoginGrant> login;

  static Response Raw(nlohmann::json body, int status = 200) {
    Response r;
    r.raw = true;
    r.http_status = status;
    r.data = std::move(body);
    return r;
  }
  static Response Data(nlohmann::json data) {
    Response r;
    r.data = std::move(data);
    return r;
  }
  static Response NoContent() { return Response(); }

  // WholeData is `data` with encoded_data_member parsed into it.
  nlohmann::json WholeData() const {
    return encoded_data_member ? WithEncodedMember(data, encoded_data_member->name,
                                                   encoded_data_member->json)
                               : data;
  }
};

// RequestHandler is what the HTTP server drives. Handle may block (disk,
// network), so the server never calls it on an IO thread. Implementations
// must be thread-safe. A non-OK Result becomes Vault's {"errors": [...]}
// with the status code of its Code.
class RequestHandler {
 public:
  using Completion = std::function<void(Result<Response>)>;

  virtual ~RequestHandler() = default;
  virtual Result<Response> Handle(const Request& request) = 0;

  // HandleAsync serves `request` on the calling thread, which it may block
  // (storage commits, the write-ahead audit entry), and calls `done`
  // exactly once with the answer: before it returns, or later on another
  // thread once the last step that needs no thread (the response's audit
  // entry) is done, so the calling thread is free for the next request.
  // The default answers with Handle.
  virtual void HandleAsync(const Request& request, const Completion& done) {
    done(Handle(request));
  }

  // BlocksOnlyOnStorage tells whether serving `request` with HandleAsync
  // can wait only for the core's own storage and audit log, never for the
  // network or another system. A server may give such requests a smaller
  // pool of their own: a pool that runs saturated hands queued requests to
  // threads already running instead of waking idle ones, and slow calls
  // out (a database being created a user) cannot take its threads.
  virtual bool BlocksOnlyOnStorage(const Request& request) {
    (void)request;
    return false;
  }

  // HandleWithoutBlocking serves `request` only if it can without blocking
  // the calling thread (no storage write, no network, no waiting for
  // another thread), which lets the server run it on an IO thread. True:
  // it took the request, and `done` runs exactly once with the answer,
  // perhaps before this returns, perhaps later on another thread. False:
  // nothing happened and `done` is not called; the caller uses Handle. The
  // default takes nothing.
  virtual bool HandleWithoutBlocking(const Request& request, const Completion& done) {
    (void)request;
    (void)done;
    return false;
  }
};

}  // namespace coffer::core
