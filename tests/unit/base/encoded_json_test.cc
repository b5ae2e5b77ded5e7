// Encoded JSON written into a document must give the bytes of the parsed
// value written there: responses and audit lines are byte-compared by
// clients, `audit verify` and the chain.
#include "base/encoded_json.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace coffer {
namespace {

using nlohmann::json;

std::string Compact(const json& j) {
  std::string out;
  AppendCompactJson(&out, j);
  return out;
}

// Tags every string value, so a test sees which strings went through it.
class Tagger : public StringValueRewriter {
 public:
  const std::string& Rewrite(const std::string& value, std::string* scratch) const override {
    *scratch = "<" + value + ">";
    return *scratch;
  }
};

std::vector<json> Shapes() {
  return {
      json::object(),
      json::array(),
      json{{"api_key", "sk-live-0123456789"}, {"port", 5432}, {"tls", true}},
      json{{"nested", {{"a", {1, "two", nullptr, false, -3, 1.5}}, {"b", json::object()}}}},
      json{{"quote\"key", "back\\slash \"quoted\""}, {"ctl", "\b\f\n\r\t\x01\x1f"}},
      json{{"caf\xc3\xa9", "\xe2\x82\xac and \xf0\x9f\x94\x91"}, {"empty", ""}},
      json{{"colon:in", "value:with:colons"}, {"k", "\":\""}, {"}", "{"}},
      json{{"list", {"a", {{"in", "array"}}, {"deep", {"x"}}}}},
      json{{"big", 18446744073709551615ULL}, {"neg", -9223372036854775807LL}, {"f", 0.1}},
      json("a lone string"),
      json(42),
  };
}

TEST(EncodedJson, CopiedWhenNotRewritten) {
  for (const json& shape : Shapes()) {
    std::string out = "prefix";
    AppendEncodedJson(&out, Compact(shape), nullptr);
    EXPECT_EQ(out, "prefix" + Compact(shape));
  }
}

TEST(EncodedJson, RewritesEveryStringValueAndNoKeyLikeTheDocumentPath) {
  Tagger tagger;
  for (const json& shape : Shapes()) {
    std::string want;
    AppendCompactJson(&want, shape, tagger);
    std::string got;
    AppendEncodedJson(&got, Compact(shape), &tagger);
    EXPECT_EQ(got, want) << Compact(shape);
  }
}

TEST(EncodedJson, MemberIsPlacedInKeyOrderAsIfParsedIn) {
  Tagger tagger;
  const json member = {{"secret", "s3cr3t"}, {"n", 1}};
  for (const json& object :
       {json::object(), json{{"metadata", {{"version", 2}}}}, json{{"a", "x"}},
        json{{"a", "x"}, {"z", "y"}}, json{{"data", "replaced"}, {"datum", 1}, {"dat", 2}}}) {
    json whole = object;
    whole["data"] = member;
    for (const StringValueRewriter* rewrite : {static_cast<const StringValueRewriter*>(nullptr),
                                               static_cast<const StringValueRewriter*>(&tagger)}) {
      std::string want;
      if (rewrite == nullptr) {
        AppendCompactJson(&want, whole);
      } else {
        AppendCompactJson(&want, whole, *rewrite);
      }
      std::string got;
      AppendObjectWithEncodedMember(&got, object, "data", Compact(member), rewrite);
      EXPECT_EQ(got, want) << Compact(object);
    }
    EXPECT_EQ(WithEncodedMember(object, "data", Compact(member)), whole);
  }
}

// Text that is not encoded JSON must not crash or read past its end, and a
// rewriter still sees every string value in it.
TEST(EncodedJson, MalformedTextIsSafeAndStillRewritten) {
  Tagger tagger;
  for (std::string_view text : {"\"unterminated", "{\"k\":\"v", "\"trailing\\", "\\\"", "\"",
                                "{\"k\":\"bad \\u12\"}", ""}) {
    std::string out;
    AppendEncodedJson(&out, text, &tagger);
    if (text.find("\"v") != std::string_view::npos) {
      EXPECT_NE(out.find("<v"), std::string::npos) << out;
    }
  }
  std::string out;
  AppendEncodedJson(&out, "{\"k\":\"bad \\u12\"}", &tagger);
  EXPECT_EQ(out.find("\"bad"), std::string::npos) << out;
  EXPECT_TRUE(WithEncodedMember(json::object(), "d", "{not json")["d"].is_null());
}

TEST(EncodedJson, ValueSizeMatchesBracketsOutsideStrings) {
  for (const json& shape : Shapes()) {
    if (shape.is_structured()) {
      const std::string text = Compact(shape);
      EXPECT_EQ(EncodedValueSize(text + ",\"after\":{}}"), text.size()) << text;
    }
  }
  for (std::string_view text : {"", "\"s\"", "1", "{\"k\":\"}\"", "[[]", "{\"k\\\"}"}) {
    EXPECT_EQ(EncodedValueSize(text), std::string_view::npos) << text;
  }
}

}  // namespace
}  // namespace coffer
