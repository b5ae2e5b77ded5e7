// Well-formed HCL: every syntax feature parses to the expected tree, with
// positions.
#include "hcl/parser.h"

#include <gtest/gtest.h>

#include <string>

namespace coffer::hcl {
namespace {

Body MustParse(const std::string& text) {
  Result<Body> r = ParseHcl(text, "test.hcl");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (!r.ok()) {
    return Body{};
  }
  return std::move(r).value();
}

const Value& Attr(const Body& body, const std::string& key) {
  static const Value kMissing;
  const Attribute* a = body.FindAttribute(key);
  EXPECT_NE(a, nullptr) << "no attribute " << key;
  return a != nullptr ? a->value : kMissing;
}

TEST(HclParser, EmptyDocumentIsAnEmptyBody) {
  EXPECT_TRUE(MustParse("").items.empty());
  EXPECT_TRUE(MustParse("\n\n  # only a comment\n").items.empty());
}

TEST(HclParser, AttributesOfEveryScalarKind) {
  Body b = MustParse(
      "s = \"hello\"\n"
      "i = 42\n"
      "neg = -7\n"
      "f = 1.5\n"
      "e = -2.5e3\n"
      "t = true\n"
      "no = false\n"
      "n = null\n");
  EXPECT_EQ(Attr(b, "s").as_string(), "hello");
  EXPECT_EQ(Attr(b, "i").as_int(), 42);
  EXPECT_EQ(Attr(b, "neg").as_int(), -7);
  EXPECT_TRUE(Attr(b, "f").is_double());
  EXPECT_DOUBLE_EQ(Attr(b, "f").as_double(), 1.5);
  EXPECT_DOUBLE_EQ(Attr(b, "e").as_double(), -2500.0);
  EXPECT_TRUE(Attr(b, "t").as_bool());
  EXPECT_FALSE(Attr(b, "no").as_bool());
  EXPECT_TRUE(Attr(b, "n").is_null());
}

TEST(HclParser, IntegerLimitsParseExactly) {
  Body b = MustParse("max = 9223372036854775807\nmin = -9223372036854775808\n");
  EXPECT_EQ(Attr(b, "max").as_int(), INT64_MAX);
  EXPECT_EQ(Attr(b, "min").as_int(), INT64_MIN);
}

TEST(HclParser, ItemsKeepSourceOrderAndPositions) {
  Body b = MustParse("a = 1\n\n  b = \"x\"\n");
  ASSERT_EQ(b.items.size(), 2u);
  EXPECT_EQ(b.items[0].key(), "a");
  EXPECT_EQ(b.items[1].key(), "b");
  EXPECT_EQ(b.items[1].pos().line, 3u);
  EXPECT_EQ(b.items[1].pos().column, 3u);
  EXPECT_EQ(b.items[1].attribute()->value.pos().line, 3u);
  EXPECT_EQ(b.items[1].attribute()->value.pos().column, 7u);
}

TEST(HclParser, IdentifierKeysMayHoldDashesDotsAndDigits) {
  Body b = MustParse("tls-min_version.v2 = 1\n\"quoted key\" = 2\n");
  EXPECT_EQ(Attr(b, "tls-min_version.v2").as_int(), 1);
  EXPECT_EQ(Attr(b, "quoted key").as_int(), 2);
}

TEST(HclParser, CommasAlsoSeparateAttributes) {
  Body b = MustParse("a = 1, b = 2,\nc = 3");
  EXPECT_EQ(b.items.size(), 3u);
  EXPECT_EQ(Attr(b, "c").as_int(), 3);
}

TEST(HclParser, CrlfLineEndingsAreAccepted) {
  Body b = MustParse("a = 1\r\nb = \"x\"\r\n");
  EXPECT_EQ(Attr(b, "a").as_int(), 1);
  EXPECT_EQ(Attr(b, "b").as_string(), "x");
}

TEST(HclParser, ByteOrderMarkIsSkipped) {
  Body b = MustParse("\xEF\xBB\xBF" "a = 1\n");
  EXPECT_EQ(Attr(b, "a").as_int(), 1);
}

TEST(HclParser, BlockWithQuotedAndBareLabels) {
  Body b = MustParse(
      "storage \"lmdb\" {\n"
      "  path = \"/var/lib/coffer\"\n"
      "}\n"
      "thing one \"two\" {}\n"
      "plain {\n"
      "}\n");
  ASSERT_EQ(b.items.size(), 3u);
  const Block* storage = b.items[0].block();
  ASSERT_NE(storage, nullptr);
  EXPECT_EQ(storage->type, "storage");
  ASSERT_EQ(storage->labels.size(), 1u);
  EXPECT_EQ(storage->labels[0].value, "lmdb");
  EXPECT_EQ(storage->labels[0].pos.column, 9u);
  EXPECT_EQ(Attr(storage->body, "path").as_string(), "/var/lib/coffer");
  EXPECT_EQ(storage->body.items[0].pos().line, 2u);

  const Block* thing = b.items[1].block();
  ASSERT_NE(thing, nullptr);
  ASSERT_EQ(thing->labels.size(), 2u);
  EXPECT_EQ(thing->labels[0].value, "one");
  EXPECT_EQ(thing->labels[1].value, "two");
  EXPECT_TRUE(thing->body.items.empty());

  const Block* plain = b.items[2].block();
  ASSERT_NE(plain, nullptr);
  EXPECT_TRUE(plain->labels.empty());
}

TEST(HclParser, BlocksOfTheSameTypeMayRepeat) {
  Body b = MustParse(
      "path \"secret/*\" { capabilities = [\"read\", \"list\"] }\n"
      "path \"sys/*\" { capabilities = [\"deny\"] }\n");
  std::vector<const Block*> paths = b.BlocksOfType("path");
  ASSERT_EQ(paths.size(), 2u);
  EXPECT_EQ(paths[0]->labels[0].value, "secret/*");
  const Value& caps = Attr(paths[0]->body, "capabilities");
  ASSERT_EQ(caps.as_list().size(), 2u);
  EXPECT_EQ(caps.as_list()[1].as_string(), "list");
  EXPECT_EQ(paths[1]->pos.line, 2u);
}

TEST(HclParser, NestedBlocks) {
  Body b = MustParse("a {\n  b \"x\" {\n    c { d = 1 }\n  }\n}\n");
  const Block* a = b.items[0].block();
  ASSERT_NE(a, nullptr);
  const Block* bx = a->body.items[0].block();
  ASSERT_NE(bx, nullptr);
  const Block* c = bx->body.items[0].block();
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(Attr(c->body, "d").as_int(), 1);
  EXPECT_EQ(c->pos.line, 3u);
}

TEST(HclParser, ListsSpanLinesAndAllowTrailingComma) {
  Body b = MustParse(
      "l = [\n"
      "  \"a\",\n"
      "  2,   # comment inside a list\n"
      "  [true, null],\n"
      "]\n"
      "empty = []\n");
  const Value& l = Attr(b, "l");
  ASSERT_TRUE(l.is_list());
  ASSERT_EQ(l.as_list().size(), 3u);
  EXPECT_EQ(l.as_list()[0].as_string(), "a");
  EXPECT_EQ(l.as_list()[1].as_int(), 2);
  EXPECT_EQ(l.as_list()[1].pos().line, 3u);
  EXPECT_TRUE(l.as_list()[2].as_list()[1].is_null());
  EXPECT_TRUE(Attr(b, "empty").as_list().empty());
}

TEST(HclParser, ObjectLiteralsTakeEqualsOrColonAndCommasOrNewlines) {
  Body b = MustParse(
      "o = { k = \"v\", \"k2\": 2 }\n"
      "multi = {\n"
      "  a = 1\n"
      "  b = { nested = [1] },\n"
      "}\n");
  const Value& o = Attr(b, "o");
  ASSERT_TRUE(o.is_object());
  ASSERT_EQ(o.as_object().size(), 2u);
  EXPECT_EQ(o.as_object()[0].key, "k");
  EXPECT_EQ(o.Find("k")->as_string(), "v");
  EXPECT_EQ(o.Find("k2")->as_int(), 2);
  EXPECT_EQ(o.Find("missing"), nullptr);
  const Value& multi = Attr(b, "multi");
  EXPECT_EQ(multi.Find("b")->Find("nested")->as_list()[0].as_int(), 1);
  EXPECT_EQ(multi.as_object()[1].pos.line, 4u);
}

TEST(HclParser, StringEscapes) {
  Body b = MustParse(R"(s = "a\nb\tc\"d\\e\/f\u00e9\U0001F600\r")" "\n");
  EXPECT_EQ(Attr(b, "s").as_string(), "a\nb\tc\"d\\e/f\xC3\xA9\xF0\x9F\x98\x80\r");
}

TEST(HclParser, SurrogatePairEscapeBecomesOneCharacter) {
  Body b = MustParse(R"(s = "\ud83d\ude00")" "\n");
  EXPECT_EQ(Attr(b, "s").as_string(), "\xF0\x9F\x98\x80");
}

TEST(HclParser, InterpolationIsKeptAsWritten) {
  Body b = MustParse("p = \"secret/${identity.entity.id}/*\"\n");
  EXPECT_EQ(Attr(b, "p").as_string(), "secret/${identity.entity.id}/*");
}

TEST(HclParser, CommentsOfAllThreeKinds) {
  Body b = MustParse(
      "# hash comment\n"
      "a = 1 // slash comment\n"
      "/* block\n"
      "   comment */\n"
      "b = /* inline */ 2\n");
  EXPECT_EQ(Attr(b, "a").as_int(), 1);
  EXPECT_EQ(Attr(b, "b").as_int(), 2);
  EXPECT_EQ(b.items[1].pos().line, 5u);
}

TEST(HclParser, MultiLineBlockCommentSeparatesAttributes) {
  Body b = MustParse("a = 1 /* one\n two */ b = 2\n");
  EXPECT_EQ(Attr(b, "b").as_int(), 2);
}

TEST(HclParser, HeredocKeepsLinesVerbatim) {
  Body b = MustParse(
      "policy = <<EOF\n"
      "path \"x\" {\n"
      "  capabilities = [\"read\"]\n"
      "}\n"
      "EOF\n"
      "after = 1\n");
  EXPECT_EQ(Attr(b, "policy").as_string(),
            "path \"x\" {\n  capabilities = [\"read\"]\n}\n");
  EXPECT_EQ(Attr(b, "after").as_int(), 1);
  EXPECT_EQ(b.items[1].pos().line, 6u);
}

TEST(HclParser, IndentedHeredocStripsCommonIndentation) {
  Body b = MustParse(
      "block {\n"
      "  text = <<-END\n"
      "    first\n"
      "      indented\n"
      "\n"
      "    last\n"
      "    END\n"
      "}\n");
  const Block* block = b.items[0].block();
  ASSERT_NE(block, nullptr);
  EXPECT_EQ(Attr(block->body, "text").as_string(), "first\n  indented\n\nlast\n");
}

TEST(HclParser, HeredocDoesNotProcessEscapes) {
  Body b = MustParse("s = <<EOT\na\\nb \"q\"\nEOT\n");
  EXPECT_EQ(Attr(b, "s").as_string(), "a\\nb \"q\"\n");
}

TEST(HclParser, EmptyHeredocIsEmptyString) {
  Body b = MustParse("s = <<EOF\nEOF\n");
  EXPECT_EQ(Attr(b, "s").as_string(), "");
}

TEST(HclParser, HeredocAtEndOfFileWithoutNewline) {
  Body b = MustParse("s = <<EOF\nx\nEOF");
  EXPECT_EQ(Attr(b, "s").as_string(), "x\n");
}

TEST(HclParser, VaultStylePolicy) {
  Body b = MustParse(R"(
# Read-only access to app secrets.
path "secret/data/app/*" {
  capabilities = ["read", "list"]
  allowed_parameters = {
    "ttl" = []
    "*"   = ["a", "b"]
  }
  min_wrapping_ttl = "1m"
}

path "auth/token/lookup-self" {
  capabilities = ["read"]
}
)");
  std::vector<const Block*> paths = b.BlocksOfType("path");
  ASSERT_EQ(paths.size(), 2u);
  const Value& allowed = Attr(paths[0]->body, "allowed_parameters");
  EXPECT_EQ(allowed.Find("*")->as_list().size(), 2u);
  EXPECT_EQ(paths[1]->pos.line, 12u);
}

TEST(HclParser, ItemAccessorsDistinguishAttributesFromBlocks) {
  Body b = MustParse("a = 1\nb {}\n");
  EXPECT_TRUE(b.items[0].is_attribute());
  EXPECT_EQ(b.items[0].block(), nullptr);
  EXPECT_TRUE(b.items[1].is_block());
  EXPECT_EQ(b.items[1].attribute(), nullptr);
  EXPECT_EQ(b.FindAttribute("b"), nullptr);
}

TEST(HclParser, NestingUpToTheLimitIsAccepted) {
  std::string text = "a = ";
  for (size_t i = 0; i < kMaxDepth; ++i) {
    text += "[";
  }
  for (size_t i = 0; i < kMaxDepth; ++i) {
    text += "]";
  }
  EXPECT_TRUE(ParseHcl(text, "t").ok());
}

}  // namespace
}  // namespace coffer::hcl
