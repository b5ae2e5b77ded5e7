#include "crypto/hash.h"

#include <gtest/gtest.h>

#include <string>

#include "base/encoding.h"

namespace coffer::crypto {
namespace {

std::string Unhex(std::string_view hex) { return HexDecode(hex).value(); }

TEST(Sha256Test, MatchesFips180Vectors) {
  EXPECT_EQ(HexEncode(Sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HexEncode(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// RFC 4231 section 4.2, test case 1.
TEST(HmacSha256Test, MatchesRfc4231Case1) {
  EXPECT_EQ(HexEncode(HmacSha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

// RFC 4231 section 4.3, test case 2: a key shorter than the output.
TEST(HmacSha256Test, MatchesRfc4231Case2) {
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

// RFC 4231 section 4.7, test case 6: a key longer than the block size.
TEST(HmacSha256Test, MatchesRfc4231Case6) {
  EXPECT_EQ(HexEncode(HmacSha256(std::string(131, '\xaa'),
                                 "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(HmacSha256Test, EmptyKeyAndMessageAreAllowed) {
  EXPECT_EQ(HexEncode(HmacSha256(std::string_view(), "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(HmacSha256Test, SecureBufferKeyMatchesStringKey) {
  SecureBuffer key = SecureBuffer::FromBytes("Jefe");
  EXPECT_EQ(HmacSha256(key, "what do ya want for nothing?"),
            HmacSha256("Jefe", "what do ya want for nothing?"));
}

// RFC 5869 appendix A.1, test case 1.
TEST(HkdfSha256Test, MatchesRfc5869Case1) {
  SecureBuffer ikm = SecureBuffer::FromBytes(std::string(22, '\x0b'));
  Result<SecureBuffer> okm = HkdfSha256(ikm, Unhex("000102030405060708090a0b0c"),
                                        Unhex("f0f1f2f3f4f5f6f7f8f9"), 42);
  ASSERT_TRUE(okm.ok()) << okm.status().ToString();
  EXPECT_EQ(HexEncode(okm->view()),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
            "34007208d5b887185865");
}

// RFC 5869 appendix A.3, test case 3: empty salt and info.
TEST(HkdfSha256Test, MatchesRfc5869Case3WithEmptySaltAndInfo) {
  SecureBuffer ikm = SecureBuffer::FromBytes(std::string(22, '\x0b'));
  Result<SecureBuffer> okm = HkdfSha256(ikm, "", "", 42);
  ASSERT_TRUE(okm.ok()) << okm.status().ToString();
  EXPECT_EQ(HexEncode(okm->view()),
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
            "9d201395faa4b61a96c8");
}

TEST(HkdfSha256Test, DifferentInfoGivesIndependentKeys) {
  SecureBuffer ikm = SecureBuffer::FromBytes(std::string(32, '\x42'));
  Result<SecureBuffer> a = HkdfSha256(ikm, "", "token-hmac");
  Result<SecureBuffer> b = HkdfSha256(ikm, "", "audit-hmac");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), 32u);
  EXPECT_FALSE(ConstantTimeEquals(a->view(), b->view()));
}

TEST(HkdfSha256Test, OutOfRangeLengthIsInvalidArgument) {
  SecureBuffer ikm = SecureBuffer::FromBytes("ikm");
  EXPECT_TRUE(HkdfSha256(ikm, "", "", 0).status().IsInvalidArgument());
  EXPECT_TRUE(HkdfSha256(ikm, "", "", 255 * 32 + 1).status().IsInvalidArgument());
  EXPECT_TRUE(HkdfSha256(ikm, "", "", 255 * 32).ok());
}

TEST(HkdfSha256Test, EmptyInputKeyIsInvalidArgument) {
  EXPECT_TRUE(HkdfSha256(SecureBuffer(), "salt", "info").status().IsInvalidArgument());
}

}  // namespace
}  // namespace coffer::crypto
