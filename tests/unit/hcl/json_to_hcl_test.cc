// JSON documents read into the HCL tree under a block schema, and the
// HCL-or-JSON document entry point.
#include "hcl/json_to_hcl.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>

#include "hcl/document.h"
#include "hcl/parser.h"

namespace coffer::hcl {
namespace {

const BlockSchema kSchema{{"storage", 1}, {"listener", 1}, {"path", 1}, {"telemetry", 0}};

Body MustParseJson(const std::string& text) {
  Result<Body> r = ParseJson(text, "c.json", kSchema);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (!r.ok()) {
    return Body{};
  }
  return std::move(r).value();
}

std::string JsonError(const std::string& text) {
  Result<Body> r = ParseJson(text, "c.json", kSchema);
  EXPECT_FALSE(r.ok()) << "parsed: " << text;
  if (r.ok()) {
    return "";
  }
  EXPECT_TRUE(r.status().IsInvalidArgument());
  return r.status().message();
}

TEST(HclJson, ObjectOfLabelsBecomesLabelledBlock) {
  Body b = MustParseJson(R"({"storage": {"lmdb": {"path": "/d", "size": 10}}})");
  ASSERT_EQ(b.items.size(), 1u);
  const Block* s = b.items[0].block();
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->type, "storage");
  ASSERT_EQ(s->labels.size(), 1u);
  EXPECT_EQ(s->labels[0].value, "lmdb");
  EXPECT_EQ(s->body.FindAttribute("path")->value.as_string(), "/d");
  EXPECT_EQ(s->body.FindAttribute("size")->value.as_int(), 10);
}

TEST(HclJson, ArrayOfObjectsBecomesRepeatedBlocks) {
  Body b = MustParseJson(
      R"({"listener": [{"tcp": {"address": "a:1"}}, {"tcp": {"address": "b:2"}}]})");
  std::vector<const Block*> ls = b.BlocksOfType("listener");
  ASSERT_EQ(ls.size(), 2u);
  EXPECT_EQ(ls[1]->labels[0].value, "tcp");
  EXPECT_EQ(ls[1]->body.FindAttribute("address")->value.as_string(), "b:2");
}

TEST(HclJson, ArrayUnderALabelAlsoRepeatsBlocks) {
  Body b = MustParseJson(R"({"listener": {"tcp": [{"address": "a:1"}, {"address": "b:2"}]}})");
  EXPECT_EQ(b.BlocksOfType("listener").size(), 2u);
}

TEST(HclJson, SeveralLabelsInOneObjectMakeSeveralBlocks) {
  Body b = MustParseJson(R"({"path": {"secret/*": {"capabilities": ["read"]},
                                     "sys/*": {"capabilities": ["deny"]}}})");
  std::vector<const Block*> ps = b.BlocksOfType("path");
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_EQ(ps[0]->labels[0].value, "secret/*");
  EXPECT_EQ(ps[1]->labels[0].value, "sys/*");
  EXPECT_EQ(ps[1]->body.FindAttribute("capabilities")->value.as_list()[0].as_string(), "deny");
}

TEST(HclJson, BlockWithoutLabels) {
  Body b = MustParseJson(R"({"telemetry": {"x": 1}})");
  const Block* t = b.items[0].block();
  ASSERT_NE(t, nullptr);
  EXPECT_TRUE(t->labels.empty());
}

TEST(HclJson, KeysOutsideTheSchemaStayAttributesWithObjectValues) {
  Body b = MustParseJson(R"({"path": {"p": {"allowed_parameters": {"ttl": []}}}, "o": {"a": 1}})");
  const Block* p = b.BlocksOfType("path")[0];
  const Attribute* allowed = p->body.FindAttribute("allowed_parameters");
  ASSERT_NE(allowed, nullptr);
  EXPECT_TRUE(allowed->value.Find("ttl")->is_list());
  ASSERT_NE(b.FindAttribute("o"), nullptr);
  EXPECT_EQ(b.FindAttribute("o")->value.Find("a")->as_int(), 1);
}

TEST(HclJson, SchemaKeyWithScalarValueStaysAnAttribute) {
  // "path" is a block at the top of a policy but a string inside a storage
  // stanza; the consumer decides what a scalar there means.
  Body b = MustParseJson(R"({"storage": {"lmdb": {"path": "/d"}}})");
  EXPECT_TRUE(b.items[0].block()->body.items[0].is_attribute());
}

TEST(HclJson, PositionsComeFromTheText) {
  Body b = MustParseJson("{\n  \"a\": 1,\n  \"storage\": {\n    \"lmdb\": {\n      \"path\": \"/d\"\n    }\n  }\n}\n");
  EXPECT_EQ(b.items[0].pos().line, 2u);
  EXPECT_EQ(b.items[0].pos().column, 3u);
  const Block* s = b.items[1].block();
  EXPECT_EQ(s->pos.line, 3u);
  EXPECT_EQ(s->labels[0].pos.line, 4u);
  EXPECT_EQ(s->body.items[0].pos().line, 5u);
  EXPECT_EQ(s->body.items[0].attribute()->value.pos().column, 15u);
}

TEST(HclJson, ScalarsOfEveryKind) {
  Body b = MustParseJson(
      R"({"s": "\u00e9\n", "i": -3, "f": 2.5e1, "t": true, "n": null, "l": [1, "x"]})");
  EXPECT_EQ(b.FindAttribute("s")->value.as_string(), "\xC3\xA9\n");
  EXPECT_EQ(b.FindAttribute("i")->value.as_int(), -3);
  EXPECT_DOUBLE_EQ(b.FindAttribute("f")->value.as_double(), 25.0);
  EXPECT_TRUE(b.FindAttribute("t")->value.as_bool());
  EXPECT_TRUE(b.FindAttribute("n")->value.is_null());
  EXPECT_EQ(b.FindAttribute("l")->value.as_list().size(), 2u);
}

TEST(HclJson, SyntaxErrorsGiveLineAndColumn) {
  std::string m = JsonError("{\n  \"a\": 1,\n  b: 2\n}");
  EXPECT_EQ(m.rfind("c.json:3:3: invalid JSON: ", 0), 0u) << m;
  EXPECT_EQ(m.find("json.exception"), std::string::npos) << m;
}

TEST(HclJson, HclOnlySyntaxIsRejected) {
  EXPECT_NE(JsonError("{\"a\": 1 # comment\n}").find("invalid JSON"), std::string::npos);
  EXPECT_NE(JsonError("{\"a\" = 1}").find("invalid JSON"), std::string::npos);
  EXPECT_NE(JsonError("{\"a\": [1,]}").find("invalid JSON"), std::string::npos);
}

TEST(HclJson, EmptyAndTruncatedDocumentsAreErrors) {
  EXPECT_NE(JsonError("").find("c.json:1:1: invalid JSON"), std::string::npos);
  EXPECT_NE(JsonError("{\"a\": ").find("invalid JSON"), std::string::npos);
  EXPECT_NE(JsonError("{\"a\": \"x").find("invalid JSON"), std::string::npos);
}

TEST(HclJson, DocumentMustBeAnObject) {
  EXPECT_NE(JsonError("[1]").find("must be a JSON object, got list"), std::string::npos);
}

TEST(HclJson, DuplicateKeysAreRejected) {
  EXPECT_NE(JsonError("{\"a\": 1,\n \"a\": 2}").find("c.json:2:2: duplicate key \"a\""),
            std::string::npos);
}

TEST(HclJson, BlockOfWrongShapeIsAnError) {
  EXPECT_NE(JsonError(R"({"storage": {"lmdb": "x"}})").find("expected an object for block \"storage\""),
            std::string::npos);
  EXPECT_NE(JsonError(R"({"storage": {}})").find("needs 1 more label"), std::string::npos);
  EXPECT_NE(JsonError(R"({"listener": {"tcp": [1]}})").find("expected an object"),
            std::string::npos);
}

TEST(HclJson, DeepNestingIsRefused) {
  std::string deep = "{\"a\": " + std::string(5000, '[') + std::string(5000, ']') + "}";
  EXPECT_NE(JsonError(deep).find("nesting too deep"), std::string::npos);
}

TEST(HclJson, HugeIntegerIsOutOfRange) {
  EXPECT_NE(JsonError(R"({"a": 123456789012345678901234567890})").find("number out of range"),
            std::string::npos);
}

TEST(HclJson, BodyFromParsedJsonUsesTheSchema) {
  nlohmann::json doc = nlohmann::json::parse(
      R"({"storage": {"inmem": {}}, "listener": [{"tcp": {"tls_disable": true}}], "n": 18446744073709551615})",
      nullptr, false);
  doc.erase("n");
  Result<Body> r = BodyFromJson(doc, "x.json", kSchema);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->BlocksOfType("storage")[0]->labels[0].value, "inmem");
  EXPECT_TRUE(r->BlocksOfType("listener")[0]->body.FindAttribute("tls_disable")->value.as_bool());
}

TEST(HclJson, BodyFromParsedJsonRejectsUnsignedOverflowAndNonObjects) {
  nlohmann::json big = {{"n", 18446744073709551615ull}};
  EXPECT_FALSE(BodyFromJson(big, "x.json", kSchema).ok());
  EXPECT_FALSE(BodyFromJson(nlohmann::json::array(), "x.json", kSchema).ok());
}

TEST(HclDocument, DetectsJsonByNameOrFirstByte) {
  EXPECT_TRUE(LooksLikeJson("a = 1", "config.json"));
  EXPECT_TRUE(LooksLikeJson("  \n{\"a\": 1}", "config.hcl"));
  EXPECT_TRUE(LooksLikeJson("\xEF\xBB\xBF{}", "c"));
  EXPECT_FALSE(LooksLikeJson("a = {}", "config.hcl"));
  EXPECT_FALSE(LooksLikeJson("", "config.hcl"));
}

TEST(HclDocument, HclAndJsonGiveTheSameTree) {
  Result<Body> h = ParseDocument("storage \"lmdb\" {\n  path = \"/d\"\n}\n", "c.hcl", kSchema);
  Result<Body> j = ParseDocument(R"({"storage": {"lmdb": {"path": "/d"}}})", "c.conf", kSchema);
  ASSERT_TRUE(h.ok() && j.ok());
  const Block* hb = h->BlocksOfType("storage")[0];
  const Block* jb = j->BlocksOfType("storage")[0];
  EXPECT_EQ(hb->labels[0].value, jb->labels[0].value);
  EXPECT_EQ(hb->body.FindAttribute("path")->value.as_string(),
            jb->body.FindAttribute("path")->value.as_string());
}

}  // namespace
}  // namespace coffer::hcl
