// Conversions of raw request values into each field type, following
// Vault's weak decoding.
#include "core/framework/field_type.h"

#include <gtest/gtest.h>

namespace coffer::core::framework {
namespace {

using nlohmann::json;

json Convert(FieldType type, const json& raw) {
  Result<json> out = ConvertField(type, raw);
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  return out.ok() ? *out : json();
}

std::string ErrorOf(FieldType type, const json& raw) {
  Result<json> out = ConvertField(type, raw);
  EXPECT_FALSE(out.ok()) << "converted to " << (out.ok() ? out->dump() : "");
  EXPECT_EQ(out.status().code(), Code::kInvalidArgument);
  return out.status().message();
}

TEST(FieldTypeTest, StringAcceptsNumbersAndBools) {
  EXPECT_EQ(Convert(FieldType::kString, "abc"), "abc");
  EXPECT_EQ(Convert(FieldType::kString, 5), "5");
  EXPECT_EQ(Convert(FieldType::kString, -12), "-12");
  EXPECT_EQ(Convert(FieldType::kString, 2.0), "2");
  EXPECT_EQ(Convert(FieldType::kString, 2.5), "2.5");
  EXPECT_EQ(Convert(FieldType::kString, true), "1");
  EXPECT_EQ(Convert(FieldType::kString, false), "0");
}

TEST(FieldTypeTest, StringRejectsArraysAndObjects) {
  EXPECT_NE(ErrorOf(FieldType::kString, json::array({"a"})).find("string"), std::string::npos);
  ErrorOf(FieldType::kString, json::object({{"a", 1}}));
}

TEST(FieldTypeTest, IntAcceptsNumericStringsAndBools) {
  EXPECT_EQ(Convert(FieldType::kInt, 5), 5);
  EXPECT_EQ(Convert(FieldType::kInt, "5"), 5);
  EXPECT_EQ(Convert(FieldType::kInt, "-7"), -7);
  EXPECT_EQ(Convert(FieldType::kInt, "0x1f"), 31);
  EXPECT_EQ(Convert(FieldType::kInt, "010"), 8);  // Go's base-0 parsing: octal
  EXPECT_EQ(Convert(FieldType::kInt, ""), 0);
  EXPECT_EQ(Convert(FieldType::kInt, 3.0), 3);
  EXPECT_EQ(Convert(FieldType::kInt, true), 1);
}

TEST(FieldTypeTest, IntRejectsFractionsAndWords) {
  EXPECT_EQ(ErrorOf(FieldType::kInt, "abc"), "cannot parse 'abc' as int");
  ErrorOf(FieldType::kInt, 2.5);
  ErrorOf(FieldType::kInt, "2.5");
  ErrorOf(FieldType::kInt, "99999999999999999999");
  ErrorOf(FieldType::kInt, json::array());
}

TEST(FieldTypeTest, BoolAcceptsGoParseBoolSpellings) {
  EXPECT_EQ(Convert(FieldType::kBool, true), true);
  EXPECT_EQ(Convert(FieldType::kBool, "true"), true);
  EXPECT_EQ(Convert(FieldType::kBool, "false"), false);
  EXPECT_EQ(Convert(FieldType::kBool, "T"), true);
  EXPECT_EQ(Convert(FieldType::kBool, "0"), false);
  EXPECT_EQ(Convert(FieldType::kBool, ""), false);
  EXPECT_EQ(Convert(FieldType::kBool, 1), true);
  EXPECT_EQ(Convert(FieldType::kBool, 0), false);
}

TEST(FieldTypeTest, BoolRejectsOtherValues) {
  EXPECT_EQ(ErrorOf(FieldType::kBool, "yes"), "cannot parse 'yes' as bool");
  ErrorOf(FieldType::kBool, 5);
  ErrorOf(FieldType::kBool, json::object());
}

TEST(FieldTypeTest, DurationAcceptsSecondsAndGoDurations) {
  EXPECT_EQ(Convert(FieldType::kDuration, 30), 30);
  EXPECT_EQ(Convert(FieldType::kDuration, "30"), 30);
  EXPECT_EQ(Convert(FieldType::kDuration, "1h"), 3600);
  EXPECT_EQ(Convert(FieldType::kDuration, "1h30m"), 5400);
  EXPECT_EQ(Convert(FieldType::kDuration, "90s"), 90);
  EXPECT_EQ(Convert(FieldType::kDuration, "2d"), 172800);
  EXPECT_EQ(Convert(FieldType::kDuration, ""), 0);
  EXPECT_EQ(Convert(FieldType::kDuration, 1.9), 1);
}

TEST(FieldTypeTest, DurationRejectsNegativeAndGarbage) {
  EXPECT_EQ(ErrorOf(FieldType::kDuration, "-5s"), "cannot provide negative value '-5'");
  ErrorOf(FieldType::kDuration, -5);
  ErrorOf(FieldType::kDuration, "soon");
  ErrorOf(FieldType::kDuration, "1x");
  ErrorOf(FieldType::kDuration, true);
}

TEST(FieldTypeTest, SignedDurationAllowsNegative) {
  EXPECT_EQ(Convert(FieldType::kSignedDuration, "-1s"), -1);
  EXPECT_EQ(Convert(FieldType::kSignedDuration, -30), -30);
  EXPECT_EQ(Convert(FieldType::kSignedDuration, "-1h"), -3600);
}

TEST(FieldTypeTest, StringSliceKeepsAPlainStringWhole) {
  EXPECT_EQ(Convert(FieldType::kStringSlice, json::array({"a", " b ", 3})),
            json::array({"a", "b", "3"}));
  EXPECT_EQ(Convert(FieldType::kStringSlice, "a,b"), json::array({"a,b"}));
  EXPECT_EQ(Convert(FieldType::kStringSlice, ""), json::array());
  ErrorOf(FieldType::kStringSlice, json::array({json::array()}));
}

TEST(FieldTypeTest, CommaStringSliceSplitsStrings) {
  EXPECT_EQ(Convert(FieldType::kCommaStringSlice, "a, b,c"), json::array({"a", "b", "c"}));
  EXPECT_EQ(Convert(FieldType::kCommaStringSlice, json::array({"x", "y"})),
            json::array({"x", "y"}));
  EXPECT_EQ(Convert(FieldType::kCommaStringSlice, ""), json::array());
  EXPECT_EQ(Convert(FieldType::kCommaStringSlice, 7), json::array({"7"}));
  ErrorOf(FieldType::kCommaStringSlice, json::object({{"a", "b"}}));
}

TEST(FieldTypeTest, IntSliceTakesArraysCommaStringsAndSingleValues) {
  EXPECT_EQ(Convert(FieldType::kIntSlice, json::array({1, "2", 3})), json::array({1, 2, 3}));
  EXPECT_EQ(Convert(FieldType::kIntSlice, "1,2, 3"), json::array({1, 2, 3}));
  EXPECT_EQ(Convert(FieldType::kIntSlice, 4), json::array({4}));
  EXPECT_EQ(Convert(FieldType::kIntSlice, ""), json::array());
  ErrorOf(FieldType::kIntSlice, "1,x");
}

TEST(FieldTypeTest, SliceWrapsSingleValues) {
  EXPECT_EQ(Convert(FieldType::kSlice, json::array({1, "a"})), json::array({1, "a"}));
  EXPECT_EQ(Convert(FieldType::kSlice, "a"), json::array({"a"}));
}

TEST(FieldTypeTest, MapAcceptsObjectsAndListsOfObjects) {
  json object = {{"a", 1}, {"b", {{"c", true}}}};
  EXPECT_EQ(Convert(FieldType::kMap, object), object);
  EXPECT_EQ(Convert(FieldType::kMap, json::array()), json::object());
  EXPECT_EQ(Convert(FieldType::kMap, json::array({{{"a", 1}}, {{"b", 2}}})),
            json({{"a", 1}, {"b", 2}}));
  ErrorOf(FieldType::kMap, "a=b");
  ErrorOf(FieldType::kMap, json::array({1}));
}

TEST(FieldTypeTest, KeyValuePairsFromObjectOrList) {
  EXPECT_EQ(Convert(FieldType::kKeyValuePairs, json({{"a", "1"}, {"b", 2}})),
            json({{"a", "1"}, {"b", "2"}}));
  EXPECT_EQ(Convert(FieldType::kKeyValuePairs, json::array({"a=1", "b=x=y"})),
            json({{"a", "1"}, {"b", "x=y"}}));
  EXPECT_EQ(Convert(FieldType::kKeyValuePairs, "k=v"), json({{"k", "v"}}));
  EXPECT_EQ(ErrorOf(FieldType::kKeyValuePairs, json::array({"novalue"})),
            "invalid key pair \"novalue\"");
  ErrorOf(FieldType::kKeyValuePairs, json::array({"=v"}));
}

TEST(FieldTypeTest, LowerCaseStringLowers) {
  EXPECT_EQ(Convert(FieldType::kLowerCaseString, "MiXeD"), "mixed");
}

TEST(FieldTypeTest, NameStringFollowsVaultNameRule) {
  EXPECT_EQ(Convert(FieldType::kNameString, "my-role.v2_x"), "my-role.v2_x");
  EXPECT_EQ(Convert(FieldType::kNameString, "a"), "a");
  EXPECT_EQ(ErrorOf(FieldType::kNameString, "-bad"), "field does not match the formatting rules");
  ErrorOf(FieldType::kNameString, "bad-");
  ErrorOf(FieldType::kNameString, "has space");
  ErrorOf(FieldType::kNameString, "");
}

TEST(FieldTypeTest, ZeroValuesMatchTheType) {
  EXPECT_EQ(ZeroValue(FieldType::kString), "");
  EXPECT_EQ(ZeroValue(FieldType::kInt), 0);
  EXPECT_EQ(ZeroValue(FieldType::kBool), false);
  EXPECT_EQ(ZeroValue(FieldType::kCommaStringSlice), json::array());
  EXPECT_EQ(ZeroValue(FieldType::kMap), json::object());
}

}  // namespace
}  // namespace coffer::core::framework
