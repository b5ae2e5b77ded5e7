#include "base/encoding.h"

#include <gtest/gtest.h>

#include <string>

namespace coffer {
namespace {

std::string AllByteValues() {
  std::string s;
  for (int i = 0; i < 256; ++i) {
    s.push_back(static_cast<char>(i));
  }
  return s;
}

TEST(HexTest, RoundTripsAllByteValues) {
  const std::string bytes = AllByteValues();
  const std::string hex = HexEncode(bytes);
  EXPECT_EQ(hex.size(), 512u);
  EXPECT_EQ(HexDecode(hex), bytes);
}

TEST(HexTest, EncodesLowercase) {
  EXPECT_EQ(HexEncode(std::string("\x00\x01\xab\xff", 4)), "0001abff");
  EXPECT_EQ(HexEncode(""), "");
}

TEST(HexTest, DecodeAcceptsEitherCase) {
  EXPECT_EQ(HexDecode("ABcdEf"), std::string("\xab\xcd\xef"));
  EXPECT_EQ(HexDecode(""), std::string());
}

TEST(HexTest, OddLengthIsRejected) {
  EXPECT_EQ(HexDecode("abc"), std::nullopt);
  EXPECT_EQ(HexDecode("0"), std::nullopt);
}

TEST(HexTest, NonHexCharacterIsRejected) {
  for (const char* bad : {"0g", "g0", "0x", " 0", "0 ", "-1", "zz", "0\n"}) {
    EXPECT_EQ(HexDecode(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(HexDecode(std::string("0\0", 2)), std::nullopt);
}

TEST(Base64Test, MatchesRfc4648Vectors) {
  const std::pair<const char*, const char*> kVectors[] = {
      {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},         {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : kVectors) {
    EXPECT_EQ(Base64Encode(plain), encoded);
    EXPECT_EQ(Base64Decode(encoded), std::string(plain)) << encoded;
  }
}

TEST(Base64Test, UsesStandardAlphabet) {
  EXPECT_EQ(Base64Encode("\xfb\xff\xfe"), "+//+");
  EXPECT_EQ(Base64Decode("+//+"), std::string("\xfb\xff\xfe"));
}

TEST(Base64Test, RoundTripsEveryLengthAndByte) {
  const std::string all = AllByteValues();
  for (size_t len = 0; len <= all.size(); ++len) {
    const std::string in = all.substr(all.size() - len);
    const std::string enc = Base64Encode(in);
    EXPECT_EQ(enc.size(), (len + 2) / 3 * 4);
    EXPECT_EQ(Base64Decode(enc), in) << "len " << len;
  }
}

TEST(Base64Test, TrailingZeroBytesSurvive) {
  const std::string zeros("\0\0\0\0", 4);
  EXPECT_EQ(Base64Decode(Base64Encode(zeros)), zeros);
}

TEST(Base64Test, MissingPaddingIsRejected) {
  for (const char* bad : {"Zg", "Zg=", "Zm8", "Zm9vY", "Zm9vYg="}) {
    EXPECT_EQ(Base64Decode(bad), std::nullopt) << bad;
  }
}

TEST(Base64Test, WhitespaceIsRejected) {
  for (const char* bad :
       {" Zm9v", "Zm9v ", "Zm9v\n", "\nZm9v", "Zm 9v", "Zm9v\r\n", "Zm9v\tZg==", "Zm9vYg==\n"}) {
    EXPECT_EQ(Base64Decode(bad), std::nullopt) << bad;
  }
}

TEST(Base64Test, MisplacedOrExcessPaddingIsRejected) {
  for (const char* bad : {"====", "Z===", "=Zm9", "Zg==Zm9v", "Zm=v", "Zm9v====", "Zg==="}) {
    EXPECT_EQ(Base64Decode(bad), std::nullopt) << bad;
  }
}

TEST(Base64Test, CharactersOutsideTheAlphabetAreRejected) {
  for (const char* bad : {"Zm9-", "Zm9_", "Zm9.", "Zm9\x80", "Zm9\xff"}) {
    EXPECT_EQ(Base64Decode(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(Base64Decode(std::string("Zm9\0", 4)), std::nullopt);
}

TEST(Base64UrlTest, RoundTripsWithoutPaddingInTheUrlAlphabet) {
  const std::string bytes("\xfb\xff\xfe\x00\x01", 5);
  const std::string encoded = Base64UrlEncode(bytes);
  EXPECT_EQ(encoded, "-__-AAE");
  EXPECT_EQ(Base64UrlDecode(encoded), bytes);
  EXPECT_EQ(Base64UrlEncode(""), "");
  EXPECT_EQ(Base64UrlDecode(""), "");
  EXPECT_EQ(Base64UrlDecode("eyJhbGciOiJSUzI1NiJ9"), R"({"alg":"RS256"})");
  EXPECT_FALSE(Base64UrlDecode("ab+c").has_value());
  EXPECT_FALSE(Base64UrlDecode("YQ==").has_value());
  EXPECT_FALSE(Base64UrlDecode("a").has_value());
}

}  // namespace
}  // namespace coffer
