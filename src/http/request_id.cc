#include "http/request_id.h"

#include <array>
#include <cstdint>
#include <random>
#include <span>

#include "crypto/random.h"

namespace coffer::http {

namespace {

// Every request needs an id, and a RAND_bytes call costs about as much as
// the rest of making one, so each thread draws ids' worth of randomness in
// bulk. Safe to pool because request ids are correlation tags, not secrets.
constexpr size_t kIdsPerDraw = 64;

struct IdPool {
  std::array<uint8_t, 16 * kIdsPerDraw> bytes{};
  size_t next = kIdsPerDraw;  // empty: the first id draws
};

}  // namespace

std::string NewRequestId() {
  thread_local IdPool pool;
  if (pool.next == kIdsPerDraw) {
    if (!crypto::RandomBytes(pool.bytes).ok()) {
      thread_local std::mt19937_64 fallback{std::random_device{}()};
      for (uint8_t& byte : pool.bytes) {
        byte = static_cast<uint8_t>(fallback());
      }
    }
    pool.next = 0;
  }
  const auto id = std::span<const uint8_t, 16>(pool.bytes.data() + 16 * pool.next++, 16);
  return crypto::FormatUuid(id);
}

}  // namespace coffer::http
