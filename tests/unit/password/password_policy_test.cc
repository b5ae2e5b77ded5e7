#include "core/password/password_policy.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

namespace coffer::core::password {
namespace {

constexpr const char* kThreeClasses = R"(
length = 12
rule "charset" {
  charset   = "abcdefghijklmnopqrstuvwxyz"
  min-chars = 2
}
rule "charset" {
  charset   = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
  min-chars = 2
}
rule "charset" {
  charset   = "0123456789"
  min-chars = 3
}
)";

int CountIn(const std::string& password, const std::string& charset) {
  int n = 0;
  for (char c : password) {
    n += charset.find(c) != std::string::npos ? 1 : 0;
  }
  return n;
}

// ExpectError checks that parsing fails with InvalidArgument whose message
// mentions `needle`.
void ExpectError(const std::string& text, const std::string& needle) {
  Result<PasswordPolicy> p = PasswordPolicy::Parse(text);
  ASSERT_FALSE(p.ok()) << text;
  EXPECT_EQ(p.status().code(), Code::kInvalidArgument);
  EXPECT_NE(p.status().message().find(needle), std::string::npos)
      << "message: " << p.status().message() << "\nwanted: " << needle;
  EXPECT_EQ(p.status().message().rfind("invalid password policy: ", 0), 0u)
      << p.status().message();
}

TEST(PasswordPolicyParse, ReadsLengthAndRules) {
  auto p = PasswordPolicy::Parse(kThreeClasses);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->length, 12);
  ASSERT_EQ(p->rules.size(), 3u);
  EXPECT_EQ(p->rules[0].charset, "abcdefghijklmnopqrstuvwxyz");
  EXPECT_EQ(p->rules[2].min_chars, 3);
}

TEST(PasswordPolicyParse, MinCharsDefaultsToZero) {
  auto p = PasswordPolicy::Parse("length = 8\nrule \"charset\" { charset = \"ab\" }\n");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->rules[0].min_chars, 0);
}

TEST(PasswordPolicyParse, DuplicateCharactersAreRemoved) {
  auto p = PasswordPolicy::Parse("length = 8\nrule \"charset\" { charset = \"aabbaacb\" }\n");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->rules[0].charset, "abc");
}

TEST(PasswordPolicyParse, AcceptsJson) {
  auto p = PasswordPolicy::Parse(
      R"({"length": 10, "rule": {"charset": [{"charset": "abc", "min-chars": 2},
                                              {"charset": "123"}]}})");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->length, 10);
  ASSERT_EQ(p->rules.size(), 2u);
  EXPECT_EQ(p->rules[0].min_chars, 2);
  EXPECT_EQ(p->rules[1].charset, "123");
}

TEST(PasswordPolicyParse, LengthIsRequired) {
  ExpectError("rule \"charset\" { charset = \"abc\" }\n", "length is required");
}

TEST(PasswordPolicyParse, LengthOutOfRange) {
  ExpectError("length = 3\nrule \"charset\" { charset = \"abc\" }\n",
              "passwords must be between 4 and 100 characters");
  ExpectError("length = 101\nrule \"charset\" { charset = \"abc\" }\n",
              "passwords must be between 4 and 100 characters");
  ExpectError("length = -5\nrule \"charset\" { charset = \"abc\" }\n", "between 4 and 100");
}

TEST(PasswordPolicyParse, LengthMustBeAnInteger) {
  ExpectError("length = \"20\"\nrule \"charset\" { charset = \"abc\" }\n",
              "length must be an integer");
  ExpectError("length = 20.5\nrule \"charset\" { charset = \"abc\" }\n",
              "length must be an integer");
}

TEST(PasswordPolicyParse, NeedsARule) { ExpectError("length = 20\n", "at least one rule"); }

TEST(PasswordPolicyParse, UnknownRuleTypeIsRefused) {
  ExpectError("length = 20\nrule \"charsets\" { charset = \"abc\" }\n",
              "unrecognized rule type \"charsets\"");
}

TEST(PasswordPolicyParse, EmptyOrMissingCharsetIsRefused) {
  ExpectError("length = 20\nrule \"charset\" { charset = \"\" }\n", "non-empty charset");
  ExpectError("length = 20\nrule \"charset\" { min-chars = 1 }\n", "non-empty charset");
}

TEST(PasswordPolicyParse, MinCharsThatCannotFitAreRefused) {
  ExpectError(
      "length = 4\nrule \"charset\" { charset = \"abc\"\nmin-chars = 3 }\n"
      "rule \"charset\" { charset = \"123\"\nmin-chars = 2 }\n",
      "the rules require at least 5 characters but length is 4");
}

TEST(PasswordPolicyParse, BadMinCharsIsRefused) {
  ExpectError("length = 8\nrule \"charset\" { charset = \"abc\"\nmin-chars = -1 }\n",
              "min-chars must be between 0 and 100");
  ExpectError("length = 8\nrule \"charset\" { charset = \"abc\"\nmin-chars = \"1\" }\n",
              "min-chars must be an integer");
}

TEST(PasswordPolicyParse, UnknownKeysAreRefused) {
  ExpectError("length = 8\nlenght = 9\nrule \"charset\" { charset = \"abc\" }\n",
              "unknown key \"lenght\"");
  ExpectError("length = 8\nrule \"charset\" { charset = \"abc\"\nmin_chars = 1 }\n",
              "unknown key \"min_chars\"");
}

TEST(PasswordPolicyParse, ControlCharactersAreRefused) {
  ExpectError("length = 8\nrule \"charset\" { charset = \"ab\\tc\" }\n",
              "non-printable character in charset");
}

TEST(PasswordPolicyParse, SyntaxErrorsSayWhere) {
  ExpectError("length = \nrule \"charset\" {", "invalid password policy: ");
  ExpectError("", "length is required");
  ExpectError("{\"length\": 8, ", "invalid password policy: ");
}

TEST(PasswordPolicyGenerate, HonoursLengthAndMinCharsOverManyRuns) {
  auto p = PasswordPolicy::Parse(kThreeClasses);
  ASSERT_TRUE(p.ok());
  for (int i = 0; i < 2000; ++i) {
    auto pw = p->Generate();
    ASSERT_TRUE(pw.ok()) << pw.status().ToString();
    ASSERT_EQ(pw->size(), 12u);
    EXPECT_GE(CountIn(*pw, "abcdefghijklmnopqrstuvwxyz"), 2);
    EXPECT_GE(CountIn(*pw, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"), 2);
    EXPECT_GE(CountIn(*pw, "0123456789"), 3);
  }
}

TEST(PasswordPolicyGenerate, DrawsOnlyFromTheUnionAndReachesAllOfIt) {
  auto p = PasswordPolicy::Parse(
      "length = 20\nrule \"charset\" { charset = \"abc\" }\n"
      "rule \"charset\" { charset = \"c!@\"\nmin-chars = 1 }\n");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  std::map<char, int> seen;
  for (int i = 0; i < 1000; ++i) {
    auto pw = p->Generate();
    ASSERT_TRUE(pw.ok());
    ASSERT_EQ(pw->size(), 20u);
    EXPECT_GE(CountIn(*pw, "c!@"), 1);
    for (char c : *pw) {
      ++seen[c];
    }
  }
  EXPECT_EQ(seen.size(), 5u);  // a b c ! @: "c" is one character of the union
  for (const auto& [c, n] : seen) {
    EXPECT_NE(std::string("abc!@").find(c), std::string::npos) << c;
    // 20000 draws over 5 characters: about 4000 each; allow a wide margin.
    EXPECT_GT(n, 3000) << c;
    EXPECT_LT(n, 5000) << c;
  }
}

TEST(PasswordPolicyGenerate, CountsUnicodeCharactersNotBytes) {
  auto p = PasswordPolicy::Parse("length = 6\nrule \"charset\" { charset = \"éü\" }\n");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  auto pw = p->Generate();
  ASSERT_TRUE(pw.ok());
  EXPECT_EQ(pw->size(), 12u);  // six two-byte characters
}

TEST(PasswordPolicyGenerate, ImpossibleInPracticeIsAnError) {
  // One "!" in ten characters drawn from 1001: essentially never four.
  std::string many;
  for (int c = 0x100; c < 0x100 + 1000; ++c) {
    many += static_cast<char>(0xC0 | (c >> 6));
    many += static_cast<char>(0x80 | (c & 0x3F));
  }
  auto p = PasswordPolicy::Parse("length = 10\nrule \"charset\" { charset = \"" + many +
                                 "\" }\nrule \"charset\" { charset = \"!\"\nmin-chars = 4 }\n");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  auto pw = p->Generate();
  ASSERT_FALSE(pw.ok());
  EXPECT_EQ(pw.status().code(), Code::kInternal);
}

TEST(PasswordPolicyGenerate, DefaultIsTwentyLettersAndDigitsWithEachClass) {
  PasswordPolicy def = PasswordPolicy::Default();
  EXPECT_EQ(def.length, 20);
  std::set<std::string> distinct;
  for (int i = 0; i < 500; ++i) {
    auto pw = def.Generate();
    ASSERT_TRUE(pw.ok());
    ASSERT_EQ(pw->size(), 20u);
    EXPECT_GE(CountIn(*pw, "abcdefghijklmnopqrstuvwxyz"), 1);
    EXPECT_GE(CountIn(*pw, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"), 1);
    EXPECT_GE(CountIn(*pw, "0123456789"), 1);
    EXPECT_EQ(CountIn(*pw, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
              20);
    distinct.insert(*pw);
  }
  EXPECT_EQ(distinct.size(), 500u);
}

}  // namespace
}  // namespace coffer::core::password
