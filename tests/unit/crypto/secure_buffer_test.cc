#include "crypto/secure_buffer.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <utility>

namespace coffer::crypto {
namespace {

TEST(SecureBufferTest, NewBufferIsZeroed) {
  SecureBuffer b(64);
  ASSERT_EQ(b.size(), 64u);
  EXPECT_FALSE(b.empty());
  EXPECT_EQ(b.view(), std::string(64, '\0'));
}

TEST(SecureBufferTest, DefaultAndZeroSizedBuffersAreEmpty) {
  SecureBuffer a;
  SecureBuffer b(0);
  EXPECT_TRUE(a.empty());
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(b.data(), nullptr);
  EXPECT_EQ(SecureBuffer::FromBytes("").size(), 0u);
}

TEST(SecureBufferTest, FromBytesCopiesTheBytes) {
  std::string src = "key material";
  SecureBuffer b = SecureBuffer::FromBytes(src);
  src[0] = 'X';
  EXPECT_EQ(b.view(), "key material");
}

TEST(SecureBufferTest, MovedFromBufferIsEmpty) {
  SecureBuffer a = SecureBuffer::FromBytes("secret");
  const uint8_t* bytes = a.data();
  SecureBuffer b(std::move(a));
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): the contract under test
  EXPECT_EQ(a.data(), nullptr);
  EXPECT_EQ(b.data(), bytes);  // ownership moved, bytes were not copied
  EXPECT_EQ(b.view(), "secret");
}

TEST(SecureBufferTest, MoveAssignmentEmptiesSourceAndReplacesTarget) {
  SecureBuffer a = SecureBuffer::FromBytes("new");
  SecureBuffer b = SecureBuffer::FromBytes("old contents");
  b = std::move(a);
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(b.view(), "new");
}

TEST(SecureBufferTest, SelfMoveAssignmentKeepsContents) {
  SecureBuffer a = SecureBuffer::FromBytes("stay");
  SecureBuffer& alias = a;
  a = std::move(alias);
  EXPECT_EQ(a.view(), "stay");
}

TEST(SecureBufferTest, CloneIsAnIndependentCopy) {
  SecureBuffer a = SecureBuffer::FromBytes("abc");
  SecureBuffer c = a.Clone();
  EXPECT_NE(c.data(), a.data());
  c.data()[0] = 'x';
  EXPECT_EQ(a.view(), "abc");
  EXPECT_EQ(c.view(), "xbc");
}

TEST(SecureBufferTest, ResetEmptiesTheBuffer) {
  SecureBuffer a = SecureBuffer::FromBytes("abc");
  a.Reset();
  EXPECT_TRUE(a.empty());
  EXPECT_EQ(a.data(), nullptr);
  a.Reset();  // idempotent
  EXPECT_TRUE(a.empty());
}

TEST(SecureBufferTest, SpanCoversTheBytes) {
  SecureBuffer a(5);
  for (uint8_t& byte : a.span()) {
    byte = 7;
  }
  EXPECT_EQ(a.view(), std::string(5, '\7'));
}

TEST(SecureBufferTest, LargeBufferIsUsable) {
  // Bigger than a page, and not a multiple of one.
  SecureBuffer a(3 * 4096 + 5);
  std::memset(a.data(), 0xaa, a.size());
  EXPECT_EQ(a.data()[a.size() - 1], 0xaa);
}

TEST(ConstantTimeEqualsTest, EqualContentsCompareEqual) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals(std::string("\0\1", 2), std::string("\0\1", 2)));
}

TEST(ConstantTimeEqualsTest, DifferentContentsCompareUnequal) {
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("xbc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals(std::string("\0\1", 2), std::string("\0\2", 2)));
}

TEST(ConstantTimeEqualsTest, DifferentLengthsCompareUnequal) {
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
  EXPECT_FALSE(ConstantTimeEquals("", "a"));
  EXPECT_FALSE(ConstantTimeEquals("abc", std::string("abc\0", 4)));
}

TEST(WipeTest, OverwritesWithZeros) {
  std::string s = "password";
  Wipe(s.data(), s.size());
  EXPECT_EQ(s, std::string(8, '\0'));
  Wipe(nullptr, 0);  // harmless
}

}  // namespace
}  // namespace coffer::crypto
