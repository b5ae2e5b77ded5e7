// HashedMemberCache: the hashed text of encoded data members one device
// has written (a KV version's data with every string value HMAC'd), keyed
// by the HMAC of the member's text under the device's salt. A secret read
// again then costs one HMAC of its text instead of one per value, and its
// text is not parsed again.
//
// It holds only what the device's log holds (values HMAC'd with its salt)
// and its keys are HMACs under that salt too, so nothing in it reveals a
// secret the log does not; it is dropped with the device. Bounded in
// bytes: when full it starts again empty. Thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "audit/hashing.h"

namespace coffer::audit {

class HashedMemberCache {
 public:
  explicit HashedMemberCache(size_t max_bytes = kDefaultMaxBytes) : max_bytes_(max_bytes) {}

  // Hashed is AppendEncodedJson(`encoded`, hashed with `salt`), from the
  // cache when this text was hashed before.
  std::shared_ptr<const std::string> Hashed(std::string_view encoded, const Salt& salt);

  size_t size() const;

  static constexpr size_t kDefaultMaxBytes = size_t{4} << 20;

 private:
  const size_t max_bytes_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const std::string>> entries_;  // guarded by mu_
  size_t bytes_ = 0;                                                             // guarded by mu_
};

}  // namespace coffer::audit
