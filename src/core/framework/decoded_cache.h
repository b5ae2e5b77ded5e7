// DecodedCache<T>: values an engine decoded from storage, each kept with
// the exact bytes it was decoded from, so a handler that has just read a
// key from storage can skip decoding (JSON parse and conversion) when the
// bytes are the same as last time.
//
// What it guarantees:
//  - Coherence. Find returns a value only when the caller's bytes are
//    byte-identical to the bytes that value was Inserted with. Callers
//    decode deterministically, so a hit equals what decoding the bytes now
//    would give, whoever wrote storage in between (any handler, a rollback,
//    a delete, a write behind the engine's back). The cache never reads
//    storage: callers always read first and only the decoding is skipped.
//    A writer may Insert what it has just stored (write-through), once the
//    write has committed, when decoding those bytes gives exactly the value
//    it inserts.
//  - The same through the stored form. A reader may also record, with an
//    entry, the stored form it opened to the entry's bytes
//    (storage::Backend::GetStored / Open; the sealed entry behind the
//    barrier). FindStored answers from a byte-identical stored form, so a
//    reader that got it back skips opening (decrypting) as well as
//    decoding: Open is deterministic, so the same stored bytes at the
//    same key open to the same bytes. Any other stored form misses.
//  - A bound. At most `max_entries` entries and `max_bytes` of bytes (both
//    forms) in all (split evenly over the shards); a value whose bytes exceed a
//    shard's byte budget is not kept. Eviction is arbitrary, which costs
//    only a decode.
//  - Thread safety. Keys are spread over shards, each with its own
//    shared_mutex: Finds run concurrently, an Insert locks one shard. No
//    lock is held outside these calls, so never during storage I/O.
//
// Only for data that is not secret: bytes and values stay in plain memory.
// KV v2 keeps key metadata and the mount config here, never version data;
// AppRole keeps roles and the role_id index, never secret-ids.
#pragma once

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace coffer::core::framework {

template <typename T>
class DecodedCache {
 public:
  // Both bounds must be at least 1.
  DecodedCache(size_t max_entries, size_t max_bytes)
      : shard_count_(std::clamp<size_t>(max_entries, 1, kMaxShards)),
        shard_entries_(max_entries / shard_count_),
        shard_bytes_(max_bytes / shard_count_),
        shards_(std::make_unique<Shard[]>(shard_count_)) {
    assert(max_entries >= 1 && max_bytes >= 1);
  }

  DecodedCache(const DecodedCache&) = delete;
  DecodedCache& operator=(const DecodedCache&) = delete;

  // Find returns the value decoded from `bytes` stored at `key`, or nullptr
  // when the cache holds none for exactly these bytes.
  std::shared_ptr<const T> Find(std::string_view key, std::string_view bytes) const {
    const Shard& shard = ShardFor(key);
    std::shared_lock lock(shard.mu);
    auto it = shard.entries.find(key);
    if (it == shard.entries.end() || it->second.bytes != bytes) {
      return nullptr;
    }
    return it->second.value;
  }

  // FindStored returns the value at `key` when `stored` is byte-identical
  // to the stored form recorded with it (by Insert or NoteStored), or
  // nullptr.
  std::shared_ptr<const T> FindStored(std::string_view key, std::string_view stored) const {
    const Shard& shard = ShardFor(key);
    std::shared_lock lock(shard.mu);
    auto it = shard.entries.find(key);
    if (it == shard.entries.end() || !it->second.stored || *it->second.stored != stored) {
      return nullptr;
    }
    return it->second.value;
  }

  // Insert records that decoding `bytes` stored at `key` gave `value`,
  // replacing what the cache held for `key`; `stored` is the stored form
  // the caller opened to `bytes`, when it read one.
  void Insert(std::string_view key, std::string bytes, std::shared_ptr<const T> value,
              std::optional<std::string> stored = std::nullopt) {
    Shard& shard = ShardFor(key);
    std::unique_lock lock(shard.mu);
    auto it = shard.entries.find(key);
    if (it != shard.entries.end()) {
      shard.bytes -= it->second.Size();
      shard.entries.erase(it);
    }
    Entry entry{std::move(bytes), std::move(stored), std::move(value)};
    if (entry.Size() > shard_bytes_) {
      return;  // too big to keep; it is decoded on every read instead
    }
    while (!shard.entries.empty() && (shard.entries.size() >= shard_entries_ ||
                                      shard.bytes + entry.Size() > shard_bytes_)) {
      shard.bytes -= shard.entries.begin()->second.Size();
      shard.entries.erase(shard.entries.begin());
    }
    shard.bytes += entry.Size();
    shard.entries.emplace(std::string(key), std::move(entry));
  }

  // NoteStored records that the entry holding `bytes` at `key` is stored
  // as `stored` (the caller opened `stored` to `bytes` and found them with
  // Find). Nothing changes when the entry holds other bytes by now, or
  // when the stored form would not fit the budget.
  void NoteStored(std::string_view key, std::string_view bytes, std::string stored) {
    Shard& shard = ShardFor(key);
    std::unique_lock lock(shard.mu);
    auto it = shard.entries.find(key);
    if (it == shard.entries.end() || it->second.bytes != bytes) {
      return;
    }
    Entry& entry = it->second;
    const size_t before = entry.Size();
    const size_t after = entry.bytes.size() + stored.size();
    if (shard.bytes - before + after > shard_bytes_) {
      return;
    }
    entry.stored = std::move(stored);
    shard.bytes = shard.bytes - before + after;
  }

  // Size counts the entries held now.
  size_t Size() const {
    size_t total = 0;
    for (size_t i = 0; i < shard_count_; ++i) {
      std::shared_lock lock(shards_[i].mu);
      total += shards_[i].entries.size();
    }
    return total;
  }

  // StoredBytes counts the bytes of the entries held now.
  size_t StoredBytes() const {
    size_t total = 0;
    for (size_t i = 0; i < shard_count_; ++i) {
      std::shared_lock lock(shards_[i].mu);
      total += shards_[i].bytes;
    }
    return total;
  }

 private:
  static constexpr size_t kMaxShards = 16;

  struct Entry {
    std::string bytes;
    std::optional<std::string> stored;
    std::shared_ptr<const T> value;

    size_t Size() const { return bytes.size() + (stored ? stored->size() : 0); }
  };

  // Transparent, so lookups take the caller's string_view without a copy.
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const { return std::hash<std::string_view>()(key); }
  };

  struct Shard {
    mutable std::shared_mutex mu;
    std::unordered_map<std::string, Entry, KeyHash, std::equal_to<>> entries;  // guarded by mu
    size_t bytes = 0;  // the sum of entries' Size(); guarded by mu
  };

  const Shard& ShardFor(std::string_view key) const {
    // The high bits: the map's buckets use the low ones.
    size_t h = std::hash<std::string_view>()(key);
    return shards_[((h >> 32) ^ h) % shard_count_];
  }
  Shard& ShardFor(std::string_view key) {
    return const_cast<Shard&>(std::as_const(*this).ShardFor(key));
  }

  const size_t shard_count_;
  const size_t shard_entries_;  // per shard
  const size_t shard_bytes_;    // per shard
  const std::unique_ptr<Shard[]> shards_;
};

}  // namespace coffer::core::framework
