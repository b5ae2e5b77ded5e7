#include "http/request_decoder.h"

#include <gtest/gtest.h>

namespace coffer::http {
namespace {

using core::Operation;

WireRequest Wire(std::string method, std::string target, std::string body = "") {
  WireRequest w;
  w.method = std::move(method);
  w.target = std::move(target);
  w.body = std::move(body);
  return w;
}

TEST(DecodeRequestTest, StripsTheApiPrefix) {
  auto r = DecodeRequest(Wire("GET", "/v1/sys/seal-status"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->path, "sys/seal-status");
  EXPECT_EQ(r->operation, Operation::kRead);
  EXPECT_EQ(r->http_method, "GET");
}

TEST(DecodeRequestTest, TargetOutsideV1IsNotFound) {
  EXPECT_EQ(DecodeRequest(Wire("GET", "/v2/x")).status().code(), Code::kNotFound);
  EXPECT_EQ(DecodeRequest(Wire("GET", "/v1")).status().code(), Code::kNotFound);
}

TEST(DecodeRequestTest, DotSegmentsAreRejected) {
  EXPECT_EQ(DecodeRequest(Wire("GET", "/v1/secret/../sys/x")).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(DecodeRequest(Wire("GET", "/v1/secret/%2e%2e/x")).status().code(),
            Code::kInvalidArgument);
}

TEST(DecodeRequestTest, ListQueryIsRemovedOnceItSelectsList) {
  auto r = DecodeRequest(Wire("GET", "/v1/secret/?list=true&x=1"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->operation, Operation::kList);
  EXPECT_EQ(r->query.count("list"), 0u);
  EXPECT_EQ(r->query.at("x"), "1");
}

TEST(DecodeRequestTest, ListFalseIsARead) {
  auto r = DecodeRequest(Wire("GET", "/v1/secret/?list=false"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->operation, Operation::kRead);
}

TEST(DecodeRequestTest, BadListValueIsInvalid) {
  EXPECT_EQ(DecodeRequest(Wire("GET", "/v1/secret/?list=maybe")).status().code(),
            Code::kInvalidArgument);
}

TEST(DecodeRequestTest, HelpQueryWinsOverTheMethod) {
  auto r = DecodeRequest(Wire("POST", "/v1/secret/x?help=1", "not json"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->operation, Operation::kHelp);
}

TEST(DecodeRequestTest, UnknownMethodIsUnsupported) {
  EXPECT_EQ(DecodeRequest(Wire("OPTIONS", "/v1/x")).status().code(), Code::kUnsupported);
}

TEST(DecodeRequestTest, WhitespaceBodyIsAnEmptyObject) {
  auto r = DecodeRequest(Wire("POST", "/v1/x", " \n"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->data, nlohmann::json::object());
}

TEST(DecodeRequestTest, NonObjectBodyIsInvalid) {
  auto r = DecodeRequest(Wire("PUT", "/v1/x", "[1,2]"));
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("failed to parse JSON input"), std::string::npos);
}

TEST(DecodeRequestTest, DeeplyNestedBodyIsRefusedBeforeParsing) {
  std::string body = "{\"a\":" + std::string(10000, '[') + std::string(10000, ']') + "}";
  EXPECT_EQ(DecodeRequest(Wire("PUT", "/v1/x", body)).status().code(), Code::kInvalidArgument);
}

TEST(DecodeRequestTest, BracketsInsideStringsDoNotCountAsNesting) {
  std::string body = "{\"a\":\"" + std::string(1000, '[') + "\\\"\"}";
  EXPECT_TRUE(DecodeRequest(Wire("PUT", "/v1/x", body)).ok());
}

TEST(DecodeRequestTest, BodyOfAReadIsIgnored) {
  auto r = DecodeRequest(Wire("GET", "/v1/x", "garbage"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->data, nlohmann::json::object());
}

TEST(DecodeRequestTest, BearerTokenIsUsedWithoutXVaultToken) {
  WireRequest w = Wire("GET", "/v1/x");
  w.authorization = "bearer  s.abc";
  EXPECT_EQ(DecodeRequest(w)->client_token, "s.abc");
  w.authorization = "Basic Zm9vOmJhcg==";
  EXPECT_EQ(DecodeRequest(w)->client_token, "");
}

}  // namespace
}  // namespace coffer::http
