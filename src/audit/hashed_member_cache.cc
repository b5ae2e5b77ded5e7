#include "audit/hashed_member_cache.h"

#include "base/encoded_json.h"

namespace coffer::audit {

std::shared_ptr<const std::string> HashedMemberCache::Hashed(std::string_view encoded,
                                                              const Salt& salt) {
  unsigned char mac[32];
  salt.MacInto(encoded, mac);
  std::string key(reinterpret_cast<const char*>(mac), sizeof(mac));
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = entries_.find(key); it != entries_.end()) {
      return it->second;
    }
  }
  auto hashed = std::make_shared<std::string>();
  hashed->reserve(encoded.size() * 2);
  const StringHasher hasher(salt, nullptr);
  AppendEncodedJson(hashed.get(), encoded, &hasher);
  const size_t cost = key.size() + hashed->size();
  if (cost > max_bytes_) {
    return hashed;
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (bytes_ + cost > max_bytes_) {
    entries_.clear();
    bytes_ = 0;
  }
  if (entries_.emplace(std::move(key), hashed).second) {
    bytes_ += cost;
  }
  return hashed;
}

size_t HashedMemberCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

}  // namespace coffer::audit
