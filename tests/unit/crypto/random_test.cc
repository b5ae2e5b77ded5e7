#include "crypto/random.h"

#include <gtest/gtest.h>

#include <array>
#include <regex>
#include <set>
#include <string>

namespace coffer::crypto {
namespace {

TEST(RandomTest, KeyHasRequestedSize) {
  Result<SecureBuffer> k = RandomKey();
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k->size(), 32u);
  Result<SecureBuffer> k16 = RandomKey(16);
  ASSERT_TRUE(k16.ok());
  EXPECT_EQ(k16->size(), 16u);
}

TEST(RandomTest, TwoKeysDiffer) {
  Result<SecureBuffer> a = RandomKey();
  Result<SecureBuffer> b = RandomKey();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_FALSE(ConstantTimeEquals(a->view(), b->view()));
}

TEST(RandomTest, BytesAreNotAllZero) {
  std::array<uint8_t, 64> buf{};
  ASSERT_TRUE(RandomBytes(buf).ok());
  EXPECT_NE(buf, (std::array<uint8_t, 64>{}));
  EXPECT_TRUE(RandomBytes({}).ok());
}

TEST(RandomTest, StringHasRequestedSize) {
  Result<std::string> s = RandomString(24);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->size(), 24u);
  Result<std::string> empty = RandomString(0);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(RandomTest, UuidIsCanonicalVersion4) {
  const std::regex kV4("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  for (int i = 0; i < 100; ++i) {
    Result<std::string> u = RandomUuid();
    ASSERT_TRUE(u.ok());
    EXPECT_TRUE(std::regex_match(*u, kV4)) << *u;
  }
}

TEST(RandomTest, FormatUuidGroupsHexAndSetsVersionAndVariant) {
  std::array<uint8_t, 16> bytes{};
  for (size_t i = 0; i < bytes.size(); ++i) {
    bytes[i] = static_cast<uint8_t>(0xf0 + i);
  }
  // Byte 6 (0xf6) keeps its low nibble under version 4; byte 8 (0xf8) its
  // low six bits under variant 10xx.
  EXPECT_EQ(FormatUuid(bytes), "f0f1f2f3-f4f5-46f7-b8f9-fafbfcfdfeff");
  bytes.fill(0);
  EXPECT_EQ(FormatUuid(bytes), "00000000-0000-4000-8000-000000000000");
}

TEST(RandomTest, UuidsAreUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    Result<std::string> u = RandomUuid();
    ASSERT_TRUE(u.ok());
    EXPECT_TRUE(seen.insert(*u).second);
  }
}

}  // namespace
}  // namespace coffer::crypto
