// Malformed HCL: every error is InvalidArgument "<file>:<line>:<col>: ..."
// pointing at the right place, and no input crashes the parser.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "hcl/parser.h"

namespace coffer::hcl {
namespace {

// ParseError parses `text` expecting failure and returns the message.
std::string ParseError(const std::string& text) {
  Result<Body> r = ParseHcl(text, "bad.hcl");
  EXPECT_FALSE(r.ok()) << "parsed: " << text;
  if (r.ok()) {
    return "";
  }
  EXPECT_TRUE(r.status().IsInvalidArgument()) << r.status().ToString();
  return r.status().message();
}

// ExpectErrorAt checks the message starts "bad.hcl:<line>:<col>: " and holds `what`.
void ExpectErrorAt(const std::string& text, size_t line, size_t column, const std::string& what) {
  std::string m = ParseError(text);
  std::string prefix = "bad.hcl:" + std::to_string(line) + ":" + std::to_string(column) + ": ";
  EXPECT_EQ(m.rfind(prefix, 0), 0u) << "want prefix " << prefix << " in: " << m;
  EXPECT_NE(m.find(what), std::string::npos) << "want " << what << " in: " << m;
}

TEST(HclMalformed, UnterminatedStringPointsAtItsOpeningQuote) {
  ExpectErrorAt("a = 1\nb = \"abc\n", 2, 5, "unterminated string");
  ExpectErrorAt("b = \"abc", 1, 5, "unterminated string");
}

TEST(HclMalformed, BackslashAtEndOfStringIsUnterminated) {
  ExpectErrorAt("b = \"abc\\", 1, 9, "unterminated string");
}

TEST(HclMalformed, InvalidEscapes) {
  ExpectErrorAt("s = \"a\\qb\"", 1, 7, "invalid escape sequence");
  ExpectErrorAt("s = \"\\u12\"", 1, 6, "invalid unicode escape");
  ExpectErrorAt("s = \"\\ud800\"", 1, 6, "invalid unicode escape");
  ExpectErrorAt("s = \"\\U00110000\"", 1, 6, "invalid unicode escape");
}

TEST(HclMalformed, UnterminatedHeredocPointsAtItsStart) {
  ExpectErrorAt("a = 1\ns = <<EOF\nline\n", 2, 5, "unterminated heredoc");
  ExpectErrorAt("s = <<EOF\nEOFX\n", 1, 5, "unterminated heredoc");
}

TEST(HclMalformed, HeredocMarkerProblems) {
  ExpectErrorAt("s = <<\nx\n", 1, 7, "expected a heredoc marker");
  ExpectErrorAt("s = <<EOF text\nEOF\n", 1, 11, "must be followed by a newline");
  ExpectErrorAt("s = <<EOF", 1, 10, "must be followed by a newline");
}

TEST(HclMalformed, UnterminatedCommentPointsAtItsStart) {
  ExpectErrorAt("a = 1\n  /* never\nclosed\n", 2, 3, "unterminated comment");
}

TEST(HclMalformed, UnterminatedBlockPointsAtItsBrace) {
  ExpectErrorAt("listener \"tcp\" {\n  address = \"x:1\"\n", 1, 16, "unterminated block \"listener\"");
  ExpectErrorAt("a {\n  b {\n  }\n", 1, 3, "unterminated block \"a\"");
}

TEST(HclMalformed, UnterminatedListAndObject) {
  ExpectErrorAt("a = [1,\n2\n", 1, 5, "unterminated list");
  ExpectErrorAt("a = { k = 1\n", 1, 5, "unterminated object");
}

TEST(HclMalformed, MissingEqualsNamesTheKey) {
  ExpectErrorAt("a = 1\nfoo \"bar\"\n", 2, 10, "expected '{' after the labels of block \"foo\"");
  ExpectErrorAt("foo 1\n", 1, 5, "expected '=' or '{' after key \"foo\"");
  ExpectErrorAt("foo\n", 1, 4, "expected '=' or '{' after key \"foo\"");
}

TEST(HclMalformed, MissingValue) {
  ExpectErrorAt("a =\nb = 2\n", 1, 4, "expected a value after \"a\" =");
  ExpectErrorAt("a = ", 1, 5, "expected a value");
  ExpectErrorAt("a = ]", 1, 5, "expected a value, got ']'");
}

TEST(HclMalformed, UnexpectedEndOfFileInsideAValue) {
  ExpectErrorAt("a = [", 1, 5, "unterminated list");
  ExpectErrorAt("a = {", 1, 5, "unterminated object");
  ExpectErrorAt("a = { k =", 1, 10, "expected a value after key \"k\"");
}

TEST(HclMalformed, BadNumbers) {
  ExpectErrorAt("a = 12abc\n", 1, 5, "invalid number \"12abc\"");
  ExpectErrorAt("a = 1.2.3\n", 1, 5, "invalid number");
  ExpectErrorAt("a = 1.\n", 1, 5, "invalid number");
  ExpectErrorAt("a = 1e\n", 1, 5, "invalid number");
  ExpectErrorAt("a = 0x10\n", 1, 5, "invalid number");
  ExpectErrorAt("a = 99999999999999999999\n", 1, 5, "number out of range");
  ExpectErrorAt("a = 1e999\n", 1, 5, "number out of range");
  ExpectErrorAt("a = -\n", 1, 5, "unexpected character '-'");
}

TEST(HclMalformed, BareWordValueMustBeQuoted) {
  ExpectErrorAt("a = hello\n", 1, 5, "strings must be quoted");
}

TEST(HclMalformed, TwoAttributesOnOneLine) {
  ExpectErrorAt("a = 1 b = 2\n", 1, 7, "after \"a\"");
}

TEST(HclMalformed, DuplicateAttributeNamesTheFirstLine) {
  ExpectErrorAt("a = 1\n\na = 2\n", 3, 1, "duplicate key \"a\": already set on line 1");
  ExpectErrorAt("o = {\n k = 1\n k = 2\n}\n", 3, 2, "duplicate key \"k\"");
}

TEST(HclMalformed, StrayClosingBrace) {
  ExpectErrorAt("a = 1\n}\n", 2, 1, "unexpected '}'");
}

TEST(HclMalformed, BadObjectEntries) {
  ExpectErrorAt("o = { 1 = 2 }", 1, 7, "expected a key in object");
  ExpectErrorAt("o = { k 2 }", 1, 9, "expected '=' or ':' after key \"k\"");
  ExpectErrorAt("o = { k = 1 j = 2 }", 1, 13, "expected ',' or a newline");
}

TEST(HclMalformed, BadListSeparators) {
  ExpectErrorAt("l = [1 2]", 1, 8, "expected ',' or ']'");
  ExpectErrorAt("l = [,]", 1, 6, "expected a value, got ','");
}

TEST(HclMalformed, UnexpectedCharacters) {
  ExpectErrorAt("a = 1\n@b = 2\n", 2, 1, "unexpected character '@'");
  ExpectErrorAt("a = 1 / 2\n", 1, 7, "unexpected character '/'");
  ExpectErrorAt("\xC3\xA9 = 1\n", 1, 1, "non-ASCII");
  ExpectErrorAt(std::string("a = \0", 5), 1, 5, "byte 0x00");
}

TEST(HclMalformed, DeepNestingIsRefusedNotOverflowed) {
  std::string lists = "a = " + std::string(100000, '[');
  ExpectErrorAt(lists, 1, 105, "nesting too deep");
  std::string objects = "a = ";
  for (int i = 0; i < 5000; ++i) {
    objects += "{k=";
  }
  ExpectErrorAt(objects, 1, 5 + 3 * 100, "nesting too deep");
  std::string blocks;
  for (int i = 0; i < 5000; ++i) {
    blocks += "b {\n";
  }
  ExpectErrorAt(blocks, 101, 3, "nesting too deep");
}

TEST(HclMalformed, ErrorMessagesEscapeAndShortenInput) {
  std::string m = ParseError("a = 1 \"" + std::string(1000, 'x') + "\x01\"\n");
  EXPECT_LT(m.size(), 200u) << m;
}

TEST(HclMalformed, RandomGarbageNeverCrashes) {
  std::mt19937 rng(12345);
  const std::string alphabet = "ab=\"{}[],:#/*<-EOF\n\\ 019.e+ \t\r";
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    size_t len = rng() % 64;
    for (size_t i = 0; i < len; ++i) {
      if (rng() % 4 == 0) {
        text.push_back(static_cast<char>(rng() % 256));
      } else {
        text.push_back(alphabet[rng() % alphabet.size()]);
      }
    }
    Result<Body> r = ParseHcl(text, "fuzz.hcl");
    if (!r.ok()) {
      EXPECT_TRUE(r.status().IsInvalidArgument());
      EXPECT_EQ(r.status().message().rfind("fuzz.hcl:", 0), 0u) << r.status().message();
    }
    Result<Value> v = ParseJsonValue(text, "fuzz.json");
    if (!v.ok()) {
      EXPECT_TRUE(v.status().IsInvalidArgument());
    }
  }
}

TEST(HclMalformed, EveryPrefixOfAValidDocumentFailsCleanlyOrParses) {
  const std::string doc =
      "storage \"lmdb\" {\n  path = \"/x\" # c\n}\n"
      "l = [1, 2.5, \"s\\n\", { k: true }]\n"
      "h = <<-EOF\n  text\n  EOF\n/* c */ n = null\n";
  ASSERT_TRUE(ParseHcl(doc, "p").ok());
  for (size_t n = 0; n < doc.size(); ++n) {
    Result<Body> r = ParseHcl(doc.substr(0, n), "p");
    if (!r.ok()) {
      EXPECT_TRUE(r.status().IsInvalidArgument());
    }
  }
}

}  // namespace
}  // namespace coffer::hcl
