// HashedMemberCache: the same bytes as hashing the text each time, one
// hashing per distinct text, and a bound on what it keeps.
#include "audit/hashed_member_cache.h"

#include <gtest/gtest.h>

#include <string>

#include "base/encoded_json.h"
#include "crypto/secure_buffer.h"

namespace coffer::audit {
namespace {

const char kData[] =
    R"({"api_key":"k-123","nested":{"list":["a","",7,true,null],"pw":"s3cret"},"n":1.5})";

std::string HashedEachTime(std::string_view encoded, const Salt& salt) {
  std::string out;
  const StringHasher hasher(salt, nullptr);
  AppendEncodedJson(&out, encoded, &hasher);
  return out;
}

TEST(HashedMemberCacheTest, GivesTheBytesOfHashingTheTextAndHashesEachTextOnce) {
  const Salt salt(crypto::SecureBuffer::FromBytes("device salt"));
  HashedMemberCache cache;
  auto first = cache.Hashed(kData, salt);
  EXPECT_EQ(*first, HashedEachTime(kData, salt));
  EXPECT_EQ(first->find("s3cret"), std::string::npos);
  EXPECT_NE(first->find("\"n\":1.5"), std::string::npos);  // only strings are hashed
  auto again = cache.Hashed(kData, salt);
  EXPECT_EQ(again.get(), first.get());  // kept, not hashed again
  const std::string other = R"({"api_key":"k-124"})";
  auto different = cache.Hashed(other, salt);
  EXPECT_NE(different.get(), first.get());
  EXPECT_EQ(*different, HashedEachTime(other, salt));
  EXPECT_EQ(cache.size(), 2u);
}

TEST(HashedMemberCacheTest, StaysWithinItsBoundAndStillHashesWhatItCannotKeep) {
  const Salt salt(crypto::SecureBuffer::FromBytes("device salt"));
  auto text_of = [](int i) { return R"({"v":"value )" + std::to_string(i) + R"("})"; };
  // Room for one hashed text (plus its 32-byte key), not two: every text
  // below hashes to the same length.
  const size_t entry_cost = HashedEachTime(text_of(0), salt).size() + 32;
  HashedMemberCache cache(entry_cost + entry_cost / 2);
  for (int i = 0; i < 10; ++i) {
    const std::string text = text_of(i);
    EXPECT_EQ(*cache.Hashed(text, salt), HashedEachTime(text, salt));
    EXPECT_LE(cache.size(), 1u);
  }
  HashedMemberCache tiny(8);  // nothing fits: hashed every time, kept never
  EXPECT_EQ(*tiny.Hashed(kData, salt), HashedEachTime(kData, salt));
  EXPECT_EQ(tiny.size(), 0u);
}

}  // namespace
}  // namespace coffer::audit
