// FieldData: values from the body and captures, defaults, required fields,
// and the error naming the field that failed.
#include "core/framework/field_data.h"

#include <gtest/gtest.h>

namespace coffer::core::framework {
namespace {

using nlohmann::json;

Fields TestSchema() {
  return {
      {"name", {FieldType::kString, {}, false, ""}},
      {"ttl", {FieldType::kDuration, "1h", false, ""}},
      {"count", {FieldType::kInt, 3, false, ""}},
      {"enabled", {FieldType::kBool, {}, false, ""}},
      {"policies", {FieldType::kCommaStringSlice, {}, false, ""}},
      {"versions", {FieldType::kIntSlice, {}, false, ""}},
      {"meta", {FieldType::kMap, {}, false, ""}},
      {"tags", {FieldType::kKeyValuePairs, {}, false, ""}},
  };
}

TEST(FieldDataTest, TypedGettersConvertRequestValues) {
  Fields schema = TestSchema();
  Result<FieldData> fields = FieldData::Parse(schema,
                                              {{"name", 42},
                                               {"ttl", "1h30m"},
                                               {"count", "7"},
                                               {"enabled", "true"},
                                               {"policies", "a,b"},
                                               {"versions", json::array({1, "2"})},
                                               {"meta", {{"k", "v"}}},
                                               {"tags", json::array({"env=prod"})}},
                                              {});
  ASSERT_TRUE(fields.ok()) << fields.status().ToString();
  EXPECT_EQ(fields->GetString("name"), "42");
  EXPECT_EQ(fields->GetDuration("ttl"), 5400);
  EXPECT_EQ(fields->GetInt("count"), 7);
  EXPECT_TRUE(fields->GetBool("enabled"));
  EXPECT_EQ(fields->GetStrings("policies"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(fields->GetInts("versions"), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(fields->GetMap("meta"), json({{"k", "v"}}));
  EXPECT_EQ(fields->GetMap("tags"), json({{"env", "prod"}}));
}

TEST(FieldDataTest, DefaultsApplyWhenAbsentAndAreConverted) {
  Fields schema = TestSchema();
  Result<FieldData> fields = FieldData::Parse(schema, json::object(), {});
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(fields->GetDuration("ttl"), 3600);  // "1h" default
  EXPECT_EQ(fields->GetInt("count"), 3);
  EXPECT_EQ(fields->GetString("name"), "");
  EXPECT_FALSE(fields->GetBool("enabled"));
  EXPECT_TRUE(fields->GetStrings("policies").empty());
  EXPECT_FALSE(fields->Provided("ttl"));
}

TEST(FieldDataTest, NullCountsAsNotProvided) {
  Fields schema = TestSchema();
  Result<FieldData> fields = FieldData::Parse(schema, {{"count", nullptr}}, {});
  ASSERT_TRUE(fields.ok());
  EXPECT_FALSE(fields->Provided("count"));
  EXPECT_EQ(fields->GetInt("count"), 3);
}

TEST(FieldDataTest, BadValueIsInvalidArgumentNamingTheField) {
  Fields schema = TestSchema();
  Result<FieldData> fields = FieldData::Parse(schema, {{"ttl", "soon"}}, {});
  ASSERT_FALSE(fields.ok());
  EXPECT_EQ(fields.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(fields.status().message().rfind("error converting input 'soon' for field \"ttl\": ", 0),
            0u)
      << fields.status().message();
}

TEST(FieldDataTest, MissingRequiredFieldIsInvalidArgument) {
  Fields schema = {{"role", {FieldType::kString, {}, true, ""}}};
  Result<FieldData> fields = FieldData::Parse(schema, json::object(), {});
  ASSERT_FALSE(fields.ok());
  EXPECT_EQ(fields.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(fields.status().message(), "missing required field \"role\"");
}

TEST(FieldDataTest, RequiredFieldCanComeFromACapture) {
  Fields schema = {{"role", {FieldType::kString, {}, true, ""}}};
  Result<FieldData> fields = FieldData::Parse(schema, json::object(), {{"role", "web"}});
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(fields->GetString("role"), "web");
}

TEST(FieldDataTest, CaptureWinsOverBodyValue) {
  Fields schema = {{"name", {FieldType::kString, {}, false, ""}}};
  Result<FieldData> fields = FieldData::Parse(schema, {{"name", "body"}}, {{"name", "path"}});
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(fields->GetString("name"), "path");
}

TEST(FieldDataTest, UnknownFieldsAreKeptAndListed) {
  Fields schema = TestSchema();
  Result<FieldData> fields = FieldData::Parse(schema, {{"zeta", 1}, {"alpha", 2}, {"name", "x"}}, {});
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(fields->Unknown(), (std::vector<std::string>{"alpha", "zeta"}));
  EXPECT_EQ(fields->Raw()["zeta"], 1);
  EXPECT_EQ(fields->Raw("name"), "x");
  EXPECT_TRUE(fields->Raw("absent").is_null());
}

TEST(FieldDataTest, FindMapReadsTheConvertedMapInPlace) {
  Fields schema = TestSchema();
  Result<FieldData> fields = FieldData::Parse(
      schema, {{"meta", {{"k", "v"}, {"n", {{"deep", 1}}}}}, {"tags", "env=prod"}}, {});
  ASSERT_TRUE(fields.ok());
  const json* meta = fields->FindMap("meta");
  ASSERT_NE(meta, nullptr);
  EXPECT_EQ(*meta, fields->GetMap("meta"));
  EXPECT_EQ(fields->FindMap("meta"), meta);  // the same object each time: no copy
  const json* tags = fields->FindMap("tags");
  ASSERT_NE(tags, nullptr);
  EXPECT_EQ(*tags, json({{"env", "prod"}}));  // converted, not the raw string
}

TEST(FieldDataTest, FindMapIsNullWhenTheMapWasNotGiven) {
  Fields schema = TestSchema();
  Result<FieldData> fields = FieldData::Parse(schema, {{"meta", nullptr}}, {});
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(fields->FindMap("meta"), nullptr);
  EXPECT_EQ(fields->FindMap("tags"), nullptr);
  EXPECT_EQ(fields->GetMap("meta"), json::object());  // GetMap gives the zero value
}

TEST(FieldDataTest, NonObjectDataIsRejected) {
  Fields schema = TestSchema();
  EXPECT_FALSE(FieldData::Parse(schema, json::array({1}), {}).ok());
  EXPECT_TRUE(FieldData::Parse(schema, json(), {}).ok());
}

}  // namespace
}  // namespace coffer::core::framework
