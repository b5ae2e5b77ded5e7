// AuditRecord follows one request through the pipeline and turns what the
// pipeline learned (the token, the mount, the effective operation) into
// the request and response entries of Vault's audit format. The entries
// are raw here; each device HMACs them with its own salt.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit/entry_pair.h"
#include "base/status.h"
#include "core/audit_auth.h"
#include "core/request.h"
#include "core/token_store.h"
#include "storage/write_gate.h"

namespace coffer::core {

class AuditRecord {
 public:
  AuditRecord(const Request& request, int64_t now_nanos);

  // SetToken records the token the request authenticated with; with a
  // cache its auth member is the one shared by that token's requests.
  void SetToken(const TokenEntry& token, int64_t now_unix, AuditAuthCache* cache = nullptr);
  void SetMount(const std::string& type, const std::string& accessor);
  void SetOperation(Operation operation) { operation_ = operation; }
  void SetWrapTtl(int64_t seconds) { wrap_ttl_ = seconds; }

  // Whether the request entry has been written (the pipeline writes it just
  // before the operation runs; a refusal before that writes it afterwards).
  bool request_logged = false;
  // Whether writing the request entry failed (so the response entry is not
  // attempted: no device could take it a moment ago).
  bool audit_failed = false;
  // Whether the pipeline runs ahead of the audit log: the request entry is
  // not written before the operation but together with the response entry
  // after it, before the response is released. Only for reads that change
  // nothing (Engine::ReadsWithoutBlocking), where there is nothing to
  // record before it happens.
  bool deferred = false;
  // Set when the operation runs while its request entry is still being
  // written (Engine::WritesOnlyStorage; see Core::LogRequest): settled
  // once the entry is durable or cannot be. The operation's storage
  // writes wait for it (storage::WriteGate), and so does its response.
  std::shared_ptr<storage::WriteGate> write_ahead;

  // RequestPair is the request entry as a pair's request part, for the
  // write-ahead log before the operation runs.
  audit::EntryPair RequestPair() const;
  // Pair is both entries once the pipeline produced `result` (the request
  // entry carries the refusal if the request never reached the engine);
  // the write-ahead path logs only its response entry when the request
  // entry was written already.
  // The pair borrows the request's and the response's data (see
  // EntryPair): the request and `result` must stay where they are until
  // the pair has been logged.
  audit::EntryPair Pair(const Result<Response>& result, int64_t now_nanos) const;
  audit::PairPart Unwritten() const {
    // A deferred request entry was never written: it goes with the response.
    return request_logged && !deferred ? audit::PairPart::kResponse : audit::PairPart::kBoth;
  }

 private:
  audit::RequestMember RequestPart() const;

  const Request& request_;
  std::string time_;
  Operation operation_;
  // Null until SetToken: an unauthenticated request's auth member is
  // built from what was sent.
  std::shared_ptr<const nlohmann::json> auth_;
  bool auth_shared_ = false;
  std::string accessor_;
  std::string mount_type_;
  std::string mount_accessor_;
  int64_t wrap_ttl_ = 0;
};

}  // namespace coffer::core
