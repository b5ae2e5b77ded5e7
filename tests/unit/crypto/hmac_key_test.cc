#include "crypto/hmac_key.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "base/encoding.h"
#include "crypto/hash.h"

namespace coffer::crypto {
namespace {

TEST(HmacSha256KeyTest, MatchesRfc4231TestCase2) {
  HmacSha256Key key(std::string_view("Jefe"));
  EXPECT_EQ(HexEncode(key.Mac("what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HmacSha256KeyTest, MatchesOneShotHmacForEveryKeyAndMessageLength) {
  // Keys shorter than, equal to and longer than the 64-byte block (which
  // RFC 2104 hashes first), and messages across block boundaries.
  for (size_t key_len : {0, 1, 31, 32, 63, 64, 65, 200}) {
    const std::string key(key_len, static_cast<char>('a' + key_len % 26));
    HmacSha256Key prepared(key);
    for (size_t msg_len : {0, 1, 55, 56, 64, 65, 1000}) {
      const std::string msg(msg_len, 'm');
      EXPECT_EQ(prepared.Mac(msg), HmacSha256(key, msg)) << key_len << "/" << msg_len;
    }
  }
}

TEST(HmacSha256KeyTest, ConcurrentMacsAgree) {
  HmacSha256Key key(std::string_view("shared key"));
  const std::string expected = HmacSha256(std::string_view("shared key"), "payload");
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        if (key.Mac("payload") != expected) {
          ++mismatches;
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace
}  // namespace coffer::crypto
