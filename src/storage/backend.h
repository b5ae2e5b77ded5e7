// storage::Backend: the physical store under the barrier.
//
// A Backend maps string keys (slash-separated paths) to opaque byte values.
// Above the barrier everything that reaches a Backend is ciphertext, so a
// Backend never interprets values.
//
// Every implementation must guarantee:
//  - Thread safety: all methods may be called concurrently.
//  - Durability: when Put, Delete or Transaction returns OK, the change
//    survives a crash (kill -9) of the process. In-memory backends are exempt.
//  - Atomicity: a Transaction applies all of its operations or none.
//  - Get of a missing key returns NotFound (not an empty value).
//  - Delete of a missing key returns OK.
//  - List(prefix) returns the names directly under `prefix`, one level
//    deep, sorted, with the prefix removed; a name that has keys below it is
//    returned once, with a trailing '/' (Vault's folder convention). A key
//    and a folder of the same name are both returned ("a" and "a/").
//    `prefix` is normally "" or ends in '/'.
//  - Keys are non-empty and do not start with '/'; values may be empty.
//  - Write gates: a Put, Delete or Transaction made while a WriteGate is
//    current on the calling thread (storage/write_gate.h) takes effect
//    only after that gate opens, and fails with the gate's status,
//    changing nothing, when it fails.
// Failures return IOError (or Unavailable for a remote store that is down)
// with detail for the server log.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace coffer::storage {

struct TxnOp {
  enum class Kind { kPut, kDelete };
  Kind kind;
  std::string key;
  std::string value;  // unused for kDelete

  static TxnOp Put(std::string k, std::string v) { return {Kind::kPut, std::move(k), std::move(v)}; }
  static TxnOp Delete(std::string k) { return {Kind::kDelete, std::move(k), {}}; }
};

class Backend {
 public:
  virtual ~Backend() = default;

  virtual Result<std::string> Get(std::string_view key) = 0;

  // A read in two steps, for callers that keep what they decoded from a
  // value and want to know whether it changed without opening it again:
  // GetStored returns the value as this backend stores it (an encrypting
  // backend's sealed entry; otherwise the value itself) and Open turns
  // that into what Get returns. Open is deterministic: identical stored
  // bytes at one key always open to the identical value, so a caller that
  // has opened them once may compare stored bytes instead (see
  // core/framework/decoded_cache.h). Stored bytes reveal no more than the
  // value does, and nothing when the backend encrypts. Both fail as Get
  // would (not found, sealed).
  virtual Result<std::string> GetStored(std::string_view key) { return Get(key); }
  virtual Result<std::string> Open(std::string_view key, std::string_view stored) {
    (void)key;
    return std::string(stored);
  }

  virtual Status Put(std::string_view key, std::string_view value) = 0;
  virtual Status Delete(std::string_view key) = 0;
  virtual Result<std::vector<std::string>> List(std::string_view prefix) = 0;
  virtual Status Transaction(const std::vector<TxnOp>& ops) = 0;

  // Name returns the registered type name ("inmem", "lmdb", ...).
  virtual std::string_view Name() const = 0;
};

// Config of a storage stanza: its string-valued parameters.
using BackendConfig = std::map<std::string, std::string>;

// A factory validates `config` and opens the backend; unknown or bad
// parameters yield InvalidArgument naming the parameter.
using BackendFactory = Result<std::unique_ptr<Backend>> (*)(const BackendConfig& config);

// RegisterBackend adds a factory under `name`; called from a static
// registrar in each implementation's .cc file (see COFFER_REGISTER_STORAGE).
bool RegisterBackend(std::string_view name, BackendFactory factory);

// OpenBackend creates a backend by registered name; NotFound/InvalidArgument
// for an unknown name.
Result<std::unique_ptr<Backend>> OpenBackend(std::string_view name, const BackendConfig& config);

// RegisteredBackends lists the registered names, sorted.
std::vector<std::string> RegisteredBackends();

}  // namespace coffer::storage

#define COFFER_REGISTER_STORAGE(name, factory) \
  static const bool COFFER_CONCAT(kStorageRegistered_, __LINE__) = \
      ::coffer::storage::RegisterBackend(name, factory)
