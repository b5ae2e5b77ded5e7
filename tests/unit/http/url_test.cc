#include "http/url.h"

#include <gtest/gtest.h>

namespace coffer::http {
namespace {

TEST(PercentDecodeTest, DecodesEscapesAndKeepsPlusInPaths) {
  EXPECT_EQ(PercentDecode("a%2Fb%20c+d", false), "a/b c+d");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
}

TEST(PercentDecodeTest, RejectsTruncatedOrNonHexEscapes) {
  EXPECT_FALSE(PercentDecode("abc%2", false));
  EXPECT_FALSE(PercentDecode("abc%zz", false));
}

TEST(PercentDecodeTest, RejectsEncodedNul) { EXPECT_FALSE(PercentDecode("a%00b", false)); }

TEST(ParseQueryTest, SplitsAndDecodesPairs) {
  auto q = ParseQuery("a=x%20y&b=1+2&flag&&c=");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->at("a"), "x y");
  EXPECT_EQ(q->at("b"), "1 2");
  EXPECT_EQ(q->at("flag"), "");
  EXPECT_EQ(q->at("c"), "");
  EXPECT_EQ(q->size(), 4u);
}

TEST(ParseQueryTest, FirstValueOfARepeatedKeyWins) {
  auto q = ParseQuery("a=1&a=2");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->at("a"), "1");
}

TEST(ParseQueryTest, MalformedEscapeFails) { EXPECT_FALSE(ParseQuery("a=%G1")); }

TEST(ParseBoolTest, AcceptsGoSpellingsOnly) {
  EXPECT_EQ(ParseBool("true"), true);
  EXPECT_EQ(ParseBool("1"), true);
  EXPECT_EQ(ParseBool("F"), false);
  EXPECT_FALSE(ParseBool("yes"));
  EXPECT_FALSE(ParseBool(""));
}

}  // namespace
}  // namespace coffer::http
