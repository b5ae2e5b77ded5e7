#include "audit/line_format.h"

#include <string>

#include <gtest/gtest.h>

#include "base/time_format.h"

namespace coffer::audit {
namespace {

using nlohmann::json;

const std::string kPrev(64, 'a');
const std::string kJsonxOpen =
    R"(<?xml version="1.0" encoding="UTF-8"?>)"
    R"(<json:object xmlns:json="http://www.ibm.com/xmlns/prod/2009/jsonx">)";

TEST(LineFormatTest, ParseFormatAcceptsJsonJsonxAndEmpty) {
  EXPECT_EQ(*ParseFormat(""), Format::kJson);
  EXPECT_EQ(*ParseFormat("json"), Format::kJson);
  EXPECT_EQ(*ParseFormat("jsonx"), Format::kJsonx);
  auto bad = ParseFormat("xml");
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.status().IsInvalidArgument());
}

TEST(LineFormatTest, JsonIsCompactAndNewlinesAreEscaped) {
  const json entry = {{"type", "request"}, {"note", "a\nb"}, {"n", 3}};
  const std::string line = FormatEntry(entry, Format::kJson);
  EXPECT_EQ(line, R"({"n":3,"note":"a\nb","type":"request"})");
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(LineFormatTest, JsonReplacesInvalidUtf8InsteadOfThrowing) {
  const json entry = {{"type", std::string("a\xff")}};
  EXPECT_EQ(FormatEntry(entry, Format::kJson), "{\"type\":\"a\xEF\xBF\xBD\"}");
}

TEST(LineFormatTest, JsonxWritesEveryKindOfValue) {
  const json entry = {{"obj", {{"s", "v"}}},
                      {"arr", json::array({1, "x", nullptr, true})},
                      {"b", false},
                      {"n", nullptr},
                      {"num", 1.5},
                      {"empty", json::object()}};
  EXPECT_EQ(FormatEntry(entry, Format::kJsonx),
            kJsonxOpen +
                R"(<json:array name="arr"><json:number>1</json:number>)"
                R"(<json:string>x</json:string><json:null /><json:boolean>true</json:boolean>)"
                R"(</json:array><json:boolean name="b">false</json:boolean>)"
                R"(<json:object name="empty"></json:object><json:null name="n" />)"
                R"(<json:number name="num">1.5</json:number>)"
                R"(<json:object name="obj"><json:string name="s">v</json:string></json:object>)"
                "</json:object>");
}

TEST(LineFormatTest, JsonxEscapesSpecialCharactersInNamesAndText) {
  const json entry = {{"a&<b>\"'", "x&y<z>\"q'"}};
  EXPECT_EQ(FormatEntry(entry, Format::kJsonx),
            kJsonxOpen +
                R"(<json:string name="a&amp;&lt;b&gt;&quot;&apos;">)"
                R"(x&amp;y&lt;z&gt;&quot;q&apos;</json:string></json:object>)");
}

TEST(LineFormatTest, JsonxKeepsALineOneLine) {
  const json entry = {{"k\n", "line1\nline2\r\tend\x01"}};
  const std::string line = FormatEntry(entry, Format::kJsonx);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(line.find('\r'), std::string::npos);
  EXPECT_NE(line.find(R"(name="k&#10;")"), std::string::npos);
  EXPECT_NE(line.find("line1&#10;line2&#13;&#9;end\xEF\xBF\xBD<"), std::string::npos);
}

TEST(LineFormatTest, WithChainInsertsTheChainFirstInJson) {
  const std::string body = FormatEntry({{"type", "request"}}, Format::kJson);
  EXPECT_EQ(WithChain(body, Format::kJson, {7, kPrev}, ""),
            R"({"chain":{"seq":7,"prev":")" + kPrev + R"("},"type":"request"})");
  EXPECT_EQ(WithChain("{}", Format::kJson, {0, kPrev}, "pfx "),
            R"(pfx {"chain":{"seq":0,"prev":")" + kPrev + R"("}})");
}

TEST(LineFormatTest, WithChainInsertsTheChainFirstInJsonx) {
  const std::string body = FormatEntry({{"type", "request"}}, Format::kJsonx);
  EXPECT_EQ(WithChain(body, Format::kJsonx, {7, kPrev}, "pfx "),
            "pfx " + kJsonxOpen +
                R"(<json:object name="chain"><json:number name="seq">7</json:number>)"
                R"(<json:string name="prev">)" +
                kPrev +
                R"(</json:string></json:object><json:string name="type">request</json:string>)"
                "</json:object>");
}

class RoundTripTest : public ::testing::TestWithParam<Format> {};

TEST_P(RoundTripTest, ParseLineGetsBackWhatWithChainPut) {
  const json entry = {{"type", "checkpoint"},
                      {"hmac", std::string(64, 'c')},
                      {"genesis", std::string(64, 'd')},
                      // A nested "type" must not be taken for the entry's.
                      {"request", {{"type", "nested"}, {"data", {{"type", "x"}}}}}};
  const std::string line =
      WithChain(FormatEntry(entry, GetParam()), GetParam(), {18446744073709551615ULL, kPrev},
                "prefix: ");
  ASSERT_EQ(line.rfind("prefix: ", 0), 0u);
  auto parsed = ParseLine(line);
  ASSERT_TRUE(parsed.has_value()) << line;
  EXPECT_EQ(parsed->link.seq, 18446744073709551615ULL);
  EXPECT_EQ(parsed->link.prev, kPrev);
  EXPECT_EQ(parsed->type, "checkpoint");
  EXPECT_EQ(parsed->hmac, std::string(64, 'c'));
  EXPECT_EQ(parsed->genesis, std::string(64, 'd'));
}

TEST_P(RoundTripTest, MissingTypeIsEmpty) {
  const std::string line =
      WithChain(FormatEntry({{"x", 1}}, GetParam()), GetParam(), {3, kPrev}, "");
  auto parsed = ParseLine(line);
  ASSERT_TRUE(parsed.has_value()) << line;
  EXPECT_EQ(parsed->link.seq, 3u);
  EXPECT_EQ(parsed->type, "");
  EXPECT_EQ(parsed->hmac, "");
}

TEST_P(RoundTripTest, EscapedTypeIsUnescaped) {
  const std::string line = WithChain(FormatEntry({{"type", "a&b<c>\"\n"}}, GetParam()),
                                     GetParam(), {1, kPrev}, "");
  auto parsed = ParseLine(line);
  ASSERT_TRUE(parsed.has_value()) << line;
  EXPECT_EQ(parsed->type, "a&b<c>\"\n");
}

TEST_P(RoundTripTest, PrefixWithBracesOrAnglesIsSkipped) {
  const std::string line = WithChain(FormatEntry({{"type", "request"}}, GetParam()), GetParam(),
                                     {2, kPrev}, "{vault} <audit> ");
  auto parsed = ParseLine(line);
  ASSERT_TRUE(parsed.has_value()) << line;
  EXPECT_EQ(parsed->link.seq, 2u);
  EXPECT_EQ(parsed->type, "request");
}

TEST_P(RoundTripTest, LineWithoutChainIsRejected) {
  EXPECT_FALSE(ParseLine(FormatEntry({{"type", "request"}}, GetParam())).has_value());
}

INSTANTIATE_TEST_SUITE_P(Formats, RoundTripTest, ::testing::Values(Format::kJson, Format::kJsonx),
                         [](const auto& info) {
                           return info.param == Format::kJson ? std::string("Json")
                                                              : std::string("Jsonx");
                         });

TEST(LineFormatTest, MalformedJsonLinesAreRejected) {
  const std::string good = R"({"chain":{"seq":1,"prev":")" + kPrev + R"("},"type":"request"})";
  ASSERT_TRUE(ParseLine(good).has_value());
  EXPECT_FALSE(ParseLine("").has_value());
  EXPECT_FALSE(ParseLine("not an entry").has_value());
  EXPECT_FALSE(ParseLine(good.substr(0, good.size() - 1)).has_value());  // truncated
  EXPECT_FALSE(ParseLine(R"({"chain":{"seq":-1,"prev":")" + kPrev + R"("}})").has_value());
  EXPECT_FALSE(ParseLine(R"({"chain":{"seq":1.5,"prev":")" + kPrev + R"("}})").has_value());
  EXPECT_FALSE(ParseLine(R"({"chain":{"seq":"1","prev":")" + kPrev + R"("}})").has_value());
  EXPECT_FALSE(ParseLine(R"({"chain":{"seq":1,"prev":"abc"}})").has_value());
  EXPECT_FALSE(
      ParseLine(R"({"chain":{"seq":1,"prev":")" + std::string(64, 'A') + R"("}})").has_value());
  // A non-string type is no type (as in JSONx, where only json:string counts).
  auto odd_type = ParseLine(R"({"chain":{"seq":1,"prev":")" + kPrev + R"("},"type":5})");
  ASSERT_TRUE(odd_type.has_value());
  EXPECT_EQ(odd_type->type, "");
  EXPECT_FALSE(ParseLine(R"({"chain":[1,2]})").has_value());
}

TEST(LineFormatTest, MalformedJsonxLinesAreRejected) {
  const std::string good = WithChain(FormatEntry({{"type", "request"}}, Format::kJsonx),
                                     Format::kJsonx, {1, kPrev}, "");
  ASSERT_TRUE(ParseLine(good).has_value());
  EXPECT_FALSE(ParseLine(good.substr(0, good.size() - 1)).has_value());
  EXPECT_FALSE(ParseLine(good.substr(0, good.size() - 14)).has_value());  // root not closed
  EXPECT_FALSE(ParseLine(good + "<json:object></json:object>").has_value());  // second root
  std::string bad_seq = good;
  bad_seq.replace(bad_seq.find(">1<"), 3, ">x<");
  EXPECT_FALSE(ParseLine(bad_seq).has_value());
  std::string bad_entity = good;
  bad_entity.replace(bad_entity.find("request"), 7, "re&bogus;");
  EXPECT_FALSE(ParseLine(bad_entity).has_value());
  std::string mismatched = good;
  mismatched.replace(mismatched.find("</json:string></json:object>"), 14, "</json:number>");
  EXPECT_FALSE(ParseLine(mismatched).has_value());
}

TEST(LineFormatTest, Rfc3339NanosIsGoRfc3339Nano) {
  EXPECT_EQ(FormatRfc3339Nano(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339Nano(1521685446945319214LL), "2018-03-22T02:24:06.945319214Z");
  EXPECT_EQ(FormatRfc3339Nano(1521685446500000000LL), "2018-03-22T02:24:06.5Z");
  EXPECT_EQ(FormatRfc3339Nano(-1), "1969-12-31T23:59:59.999999999Z");
}

}  // namespace
}  // namespace coffer::audit
