// audit::Device: one enabled audit device (Vault's sys/audit/<path>). It
// hashes and formats entries with its own salt and options, and a single
// writer thread chains them and hands them to the sink in batches: every
// entry that arrives while a write is in progress goes out in the next
// write, so concurrent requests share one write and one fdatasync (group
// commit).
//
// Thread-safe: Prepare, Submit, Hash and RequestReopen may be called from
// any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit/chain.h"
#include "audit/entry_pair.h"
#include "audit/hashed_member_cache.h"
#include "audit/hashing.h"
#include "audit/line_format.h"
#include "audit/sink.h"
#include "audit/ticket.h"
#include "base/clock.h"
#include "base/status.h"
#include "crypto/secure_buffer.h"

namespace coffer::audit {

// What sys/audit/<path> stores and shows (the salt is kept apart and never
// shown).
struct DeviceSpec {
  std::string path;  // "file/", with its trailing slash
  std::string type;  // "file", "syslog", "socket"
  std::string description;
  std::map<std::string, std::string> options;
  bool local = false;
};

class Device {
 public:
  // Open validates the options, opens the sink and writes the first line
  // (a genesis line, or the continuation of the chain already in the
  // file). With `strict` a sink that cannot be opened or written is an
  // error (enabling a device); without it the device starts anyway and
  // retries on every batch (unsealing with a destination that is down must
  // not lose the other devices).
  static Result<std::unique_ptr<Device>> Open(DeviceSpec spec, crypto::SecureBuffer salt,
                                              crypto::SecureBuffer checkpoint_key,
                                              const Clock& clock, bool strict);
  ~Device();

  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  // Prepare turns a raw entry into this device's line body: HMAC'd (unless
  // log_raw) and formatted.
  std::string Prepare(nlohmann::json entry) const;
  // PreparePair is Prepare for the entries of `pair` that `part` names (the
  // same bodies, request first), hashing and serializing their shared
  // members once, and the "auth" member once per shared auth object.
  std::vector<std::string> PreparePair(const EntryPair& pair,
                                       PairPart part = PairPart::kBoth) const;

  // Submit queues prepared bodies, which are written in order in one batch;
  // `ticket` hears once whether all of them became durable. A device whose
  // queue is full (its destination hangs) refuses at once rather than
  // growing without bound.
  void Submit(std::shared_ptr<Ticket> ticket, std::vector<std::string> bodies);

  // Hash is sys/audit-hash: the salted HMAC of `input`.
  std::string Hash(std::string_view input) const { return salt_.Hash(input); }

  // RequestReopen asks the writer to write a checkpoint, reopen the sink
  // (SIGHUP) and continue the chain in the new destination.
  void RequestReopen();

  const DeviceSpec& spec() const { return spec_; }
  // How long a request waits for this device before counting it failed.
  std::chrono::milliseconds timeout() const { return timeout_; }

 private:
  // What this device derives from an "auth" member: its hashed, serialized
  // form and the hashes of the token and accessor, which the "request"
  // member repeats.
  struct DerivedAuth {
    std::string json;
    KnownHashes hashes;
  };
  struct CachedAuth {
    std::shared_ptr<const nlohmann::json> auth;  // keeps the key's identity unique
    std::shared_ptr<const DerivedAuth> derived;
  };
  std::shared_ptr<const DerivedAuth> Derive(const EntryPair& pair) const;

  struct Pending {
    std::shared_ptr<Ticket> ticket;
    std::vector<std::string> bodies;
  };

  Device(DeviceSpec spec, std::unique_ptr<Sink> sink, crypto::SecureBuffer salt,
         const Clock& clock, Chain chain);
  Status Start(bool strict);
  void Run();
  // WriteBatch chains the bodies (after a gap line if entries were missed)
  // and writes them with one sink call; on failure the chain is rolled
  // back so the next batch links to the last line actually written.
  bool WriteBatch(const std::deque<Pending>& batch);
  // WriteCheckpoint pins the chain head before a reopen or close, if
  // anything was written since the last checkpoint.
  void WriteCheckpoint();
  int64_t NowNanos() const;

  const DeviceSpec spec_;
  const std::unique_ptr<Sink> sink_;
  const Salt salt_;
  // The KV data this device has hashed (PreparePair is const and runs on
  // any thread; the cache locks itself).
  mutable HashedMemberCache hashed_members_;
  const Clock& clock_;
  Format format_ = Format::kJson;
  bool log_raw_ = false;
  bool hmac_accessor_ = true;
  size_t checkpoint_every_ = 1000;
  std::chrono::milliseconds timeout_{2000};

  // Owned by the writer thread (and by Start before it exists).
  Chain chain_;
  std::string last_written_;  // the last line the sink accepted
  uint64_t missed_ = 0;       // entries lost since last_written_
  bool need_genesis_ = false; // nothing chained reached the sink yet
  uint64_t since_checkpoint_ = 0;
  bool sink_open_ = false;

  mutable std::mutex auth_mu_;
  mutable std::unordered_map<const nlohmann::json*, CachedAuth> auth_cache_;  // guarded by auth_mu_

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;  // guarded by mu_
  size_t queued_bodies_ = 0;   // guarded by mu_: bodies in queue_
  uint64_t refused_ = 0;       // guarded by mu_: entries refused while full
  bool stop_ = false;          // guarded by mu_
  bool reopen_ = false;        // guarded by mu_
  std::thread writer_;
};

}  // namespace coffer::audit
