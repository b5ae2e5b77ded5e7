#include "crypto/shamir.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "crypto/random.h"

namespace coffer::crypto {
namespace {

std::vector<SecureBuffer> Pick(const std::vector<SecureBuffer>& shares,
                               const std::vector<size_t>& indexes) {
  std::vector<SecureBuffer> out;
  for (size_t i : indexes) {
    out.push_back(shares[i].Clone());
  }
  return out;
}

uint8_t XOf(const SecureBuffer& share) { return share.data()[share.size() - 1]; }

TEST(ShamirTest, SharesAreSecretLengthPlusOneWithDistinctNonzeroX) {
  SecureBuffer secret = RandomKey().value();
  Result<std::vector<SecureBuffer>> shares = ShamirSplit(secret, 255, 3);
  ASSERT_TRUE(shares.ok()) << shares.status().ToString();
  ASSERT_EQ(shares->size(), 255u);
  std::set<uint8_t> xs;
  for (const SecureBuffer& s : *shares) {
    EXPECT_EQ(s.size(), secret.size() + 1);
    EXPECT_NE(XOf(s), 0);
    xs.insert(XOf(s));
  }
  EXPECT_EQ(xs.size(), 255u);
}

TEST(ShamirTest, AnyThresholdSubsetRecoversSecret) {
  SecureBuffer secret = RandomKey().value();
  std::vector<SecureBuffer> shares = ShamirSplit(secret, 5, 3).value();
  for (size_t a = 0; a < 5; ++a) {
    for (size_t b = a + 1; b < 5; ++b) {
      for (size_t c = b + 1; c < 5; ++c) {
        std::vector<SecureBuffer> subset = Pick(shares, {c, a, b});
        Result<SecureBuffer> got = ShamirCombine(subset);
        ASSERT_TRUE(got.ok()) << got.status().ToString();
        EXPECT_TRUE(ConstantTimeEquals(got->view(), secret.view())) << a << b << c;
      }
    }
  }
}

TEST(ShamirTest, MoreThanThresholdSharesRecoverSecret) {
  SecureBuffer secret = RandomKey().value();
  std::vector<SecureBuffer> shares = ShamirSplit(secret, 5, 3).value();
  EXPECT_EQ(ShamirCombine(shares).value().view(), secret.view());
  EXPECT_EQ(ShamirCombine(Pick(shares, {4, 0, 2, 1})).value().view(), secret.view());
}

TEST(ShamirTest, ThresholdEqualToPartsRecoversSecret) {
  SecureBuffer secret = SecureBuffer::FromBytes("a short secret");
  std::vector<SecureBuffer> shares = ShamirSplit(secret, 4, 4).value();
  EXPECT_EQ(ShamirCombine(shares).value().view(), secret.view());
  shares = ShamirSplit(secret, 2, 2).value();
  EXPECT_EQ(ShamirCombine(shares).value().view(), secret.view());
}

TEST(ShamirTest, FewerThanThresholdSharesDoNotRecoverSecret) {
  SecureBuffer secret = RandomKey().value();
  std::vector<SecureBuffer> shares = ShamirSplit(secret, 5, 3).value();
  Result<SecureBuffer> got = ShamirCombine(Pick(shares, {0, 1}));
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(ConstantTimeEquals(got->view(), secret.view()));
}

TEST(ShamirTest, SharesDoNotContainTheSecret) {
  SecureBuffer secret = RandomKey().value();
  // Held in a variable: a range-for over a temporary Result's value() would dangle.
  const std::vector<SecureBuffer> shares = ShamirSplit(secret, 3, 2).value();
  for (const SecureBuffer& s : shares) {
    EXPECT_NE(s.view().substr(0, secret.size()), secret.view());
  }
}

TEST(ShamirTest, OneOfOneShareIsSecretPlusXAndRecovers) {
  SecureBuffer secret = RandomKey().value();
  std::vector<SecureBuffer> shares = ShamirSplit(secret, 1, 1).value();
  ASSERT_EQ(shares.size(), 1u);
  EXPECT_EQ(shares[0].view().substr(0, secret.size()), secret.view());
  EXPECT_NE(XOf(shares[0]), 0);
  EXPECT_EQ(ShamirCombine(shares).value().view(), secret.view());
}

TEST(ShamirTest, InvalidSplitParametersAreRejected) {
  SecureBuffer secret = RandomKey().value();
  const std::pair<int, int> kBad[] = {{0, 0}, {0, 1}, {3, 4}, {256, 2}, {3, 1}, {3, 0}, {-1, 1}};
  for (const auto& [parts, threshold] : kBad) {
    EXPECT_TRUE(ShamirSplit(secret, parts, threshold).status().IsInvalidArgument())
        << parts << "/" << threshold;
  }
  EXPECT_TRUE(ShamirSplit(SecureBuffer(), 3, 2).status().IsInvalidArgument());
}

TEST(ShamirTest, NoSharesAreRejected) {
  Result<SecureBuffer> got = ShamirCombine({});
  ASSERT_FALSE(got.ok());
  EXPECT_TRUE(got.status().IsInvalidArgument());
}

TEST(ShamirTest, DuplicateShareIsRejected) {
  SecureBuffer secret = RandomKey().value();
  std::vector<SecureBuffer> shares = ShamirSplit(secret, 3, 2).value();
  Result<SecureBuffer> got = ShamirCombine(Pick(shares, {0, 1, 0}));
  ASSERT_FALSE(got.ok());
  EXPECT_TRUE(got.status().IsInvalidArgument());
  EXPECT_NE(got.status().message().find("duplicate"), std::string::npos);
}

TEST(ShamirTest, DifferentSharesWithSameXAreRejected) {
  SecureBuffer secret = RandomKey().value();
  std::vector<SecureBuffer> shares = ShamirSplit(secret, 3, 2).value();
  std::vector<SecureBuffer> subset = Pick(shares, {0, 1});
  subset[1].data()[subset[1].size() - 1] = XOf(subset[0]);
  EXPECT_TRUE(ShamirCombine(subset).status().IsInvalidArgument());
}

TEST(ShamirTest, ZeroXCoordinateIsRejected) {
  SecureBuffer secret = RandomKey().value();
  std::vector<SecureBuffer> shares = ShamirSplit(secret, 3, 2).value();
  shares[1].data()[shares[1].size() - 1] = 0;
  Result<SecureBuffer> got = ShamirCombine(shares);
  ASSERT_FALSE(got.ok());
  EXPECT_TRUE(got.status().IsInvalidArgument());
}

TEST(ShamirTest, MismatchedShareLengthsAreRejected) {
  SecureBuffer secret = RandomKey().value();
  std::vector<SecureBuffer> shares = ShamirSplit(secret, 3, 2).value();
  shares[2] = SecureBuffer::FromBytes(shares[2].view().substr(1));
  Result<SecureBuffer> got = ShamirCombine(shares);
  ASSERT_FALSE(got.ok());
  EXPECT_TRUE(got.status().IsInvalidArgument());
}

TEST(ShamirTest, TooShortShareIsRejected) {
  std::vector<SecureBuffer> shares;
  shares.push_back(SecureBuffer::FromBytes("\x01"));
  shares.push_back(SecureBuffer::FromBytes("\x02"));
  EXPECT_TRUE(ShamirCombine(shares).status().IsInvalidArgument());
}

// Pins the field (libgfshare's GF(2^8) mod x^8+x^4+x^3+x^2+1) and the share
// layout, so shares handed to operators stay valid across upgrades.
TEST(ShamirTest, CombinesKnownShares) {
  std::vector<SecureBuffer> shares;
  shares.push_back(SecureBuffer::FromBytes("\x17\xa4"));
  shares.push_back(SecureBuffer::FromBytes("\xe8\xef"));
  Result<SecureBuffer> got = ShamirCombine(shares);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->view(), "\x5a");
}

TEST(ShamirTest, OneByteSecretRoundTrips) {
  SecureBuffer secret = SecureBuffer::FromBytes("\x7f");
  std::vector<SecureBuffer> shares = ShamirSplit(secret, 3, 2).value();
  EXPECT_EQ(ShamirCombine(Pick(shares, {2, 0})).value().view(), secret.view());
}

}  // namespace
}  // namespace coffer::crypto
