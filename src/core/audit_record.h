// AuditRecord follows one request through the pipeline and turns what the
// pipeline learned (the token, the mount, the effective operation) into
// the request and response entries of Vault's audit format. The entries
// are raw here; each device HMACs them with its own salt.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit/entry_pair.h"
#include "base/status.h"
#include "core/request.h"
#include "core/token_store.h"

namespace coffer::core {

class AuditRecord {
 public:
  AuditRecord(const Request& request, int64_t now_nanos);

  void SetToken(const TokenEntry& token, int64_t now_unix);
  void SetMount(const std::string& type, const std::string& accessor);
  void SetOperation(Operation operation) { operation_ = operation; }
  void SetWrapTtl(int64_t seconds) { wrap_ttl_ = seconds; }

  // RequestEntry is the "request" entry; `error` is the refusal that ended
  // the request before it reached the engine, if any.
  nlohmann::json RequestEntry(const Status& error) const;
  // ResponseEntry is the "response" entry for what the client gets.
  nlohmann::json ResponseEntry(const Result<Response>& result, int64_t now_nanos) const;

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

  // Entries is what the write-ahead path logs once the pipeline produced
  // `result`: the request entry (with the refusal if the request never
  // reached the engine) unless it was written already, and the response
  // entry.
  std::vector<nlohmann::json> Entries(const Result<Response>& result, int64_t now_nanos) const;
  // Pair is both entries for a deferred record (Broker::LogAsync).
  audit::EntryPair Pair(const Result<Response>& result, int64_t now_nanos) const;

 private:
  nlohmann::json Auth() const;
  nlohmann::json RequestPart() const;

  const Request& request_;
  std::string time_;
  Operation operation_;
  std::optional<TokenEntry> token_;
  int64_t token_ttl_ = 0;
  std::string mount_type_;
  std::string mount_accessor_;
  int64_t wrap_ttl_ = 0;
};

}  // namespace coffer::core
