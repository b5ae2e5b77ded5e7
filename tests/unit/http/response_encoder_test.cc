#include "http/response_encoder.h"

#include <gtest/gtest.h>

namespace coffer::http {
namespace {

using nlohmann::json;

TEST(EncodeResponseTest, EnvelopeHasVaultsFields) {
  core::Response r = core::Response::Data({{"k", "v"}});
  r.lease_id = "db/creds/x/123";
  r.renewable = true;
  r.lease_duration = 3600;
  WireResponse w = EncodeResponse(r, "rid");
  EXPECT_EQ(w.status, 200);
  json body = json::parse(w.body);
  EXPECT_EQ(body["request_id"], "rid");
  EXPECT_EQ(body["lease_id"], "db/creds/x/123");
  EXPECT_EQ(body["renewable"], true);
  EXPECT_EQ(body["lease_duration"], 3600);
  EXPECT_EQ(body["data"]["k"], "v");
  EXPECT_TRUE(body["wrap_info"].is_null());
  EXPECT_TRUE(body["warnings"].is_null());
  EXPECT_TRUE(body["auth"].is_null());
  EXPECT_EQ(body["mount_type"], "");
}

// The envelope is written member by member; it must be byte for byte the
// document nlohmann would write for the same envelope.
TEST(EncodeResponseTest, EnvelopeBytesEqualTheEnvelopeDocumentDumped) {
  core::Response full = core::Response::Data(
      {{"data", {{"password", "s3cr\"et\n"}, {"caf\xc3\xa9", 1.5}}}, {"n", -7}});
  full.lease_id = "db/creds/x/123";
  full.renewable = true;
  full.lease_duration = 3600;
  full.auth = json{{"client_token", "t"}, {"policies", {"a", "b"}}};
  full.wrap_info = json{{"token", "w"}, {"ttl", 60}};
  full.warnings = {"careful"};
  core::Response odd = core::Response::Data({{"k", std::string("\xff\xfe\x01")}});
  for (const core::Response& r : {full, odd, core::Response::Data({{"k", "v"}})}) {
    const json envelope = {
        {"request_id", "rid-1"},
        {"lease_id", r.lease_id},
        {"renewable", r.renewable},
        {"lease_duration", r.lease_duration},
        {"data", r.data},
        {"wrap_info", r.wrap_info ? *r.wrap_info : json(nullptr)},
        {"warnings", r.warnings.empty() ? json(nullptr) : json(r.warnings)},
        {"auth", r.auth ? *r.auth : json(nullptr)},
        {"mount_type", ""},
    };
    EXPECT_EQ(EncodeResponse(r, "rid-1").body,
              envelope.dump(-1, ' ', false, json::error_handler_t::replace));
  }
}

// A member the engine gave as encoded text is spliced in: the bytes are
// those of the response holding it parsed.
TEST(EncodeResponseTest, EncodedDataMemberIsSplicedAsIfParsed) {
  const json secret = {{"password", "s3cr\"et\n"}, {"caf\xc3\xa9", {1, nullptr}}};
  core::Response served = core::Response::Data({{"metadata", {{"version", 2}}}});
  served.encoded_data_member = core::Response::EncodedMember{"data", secret.dump()};
  core::Response parsed = core::Response::Data(
      {{"metadata", {{"version", 2}}}, {"data", secret}});
  EXPECT_EQ(EncodeResponse(served, "rid").body, EncodeResponse(parsed, "rid").body);
  EXPECT_EQ(EncodeResponse(served, "rid").status, 200);

  core::Response alone;  // no other data: still a body, not a 204
  alone.encoded_data_member = core::Response::EncodedMember{"data", "{}"};
  WireResponse w = EncodeResponse(alone, "rid");
  EXPECT_EQ(w.status, 200);
  EXPECT_EQ(json::parse(w.body)["data"], json({{"data", json::object()}}));
}

TEST(EncodeResponseTest, EmptyResponseIs204) {
  WireResponse w = EncodeResponse(core::Response::NoContent(), "rid");
  EXPECT_EQ(w.status, 204);
  EXPECT_TRUE(w.body.empty());
}

TEST(EncodeResponseTest, AuthAloneIsNotEmpty) {
  core::Response r;
  r.auth = json{{"client_token", "t"}};
  WireResponse w = EncodeResponse(r, "rid");
  EXPECT_EQ(w.status, 200);
  EXPECT_EQ(json::parse(w.body)["auth"]["client_token"], "t");
}

TEST(EncodeResponseTest, RawStringBodyIsSentAsText) {
  WireResponse w = EncodeResponse(core::Response::Raw("-----BEGIN CERTIFICATE-----"), "rid");
  EXPECT_EQ(w.body, "-----BEGIN CERTIFICATE-----");
  EXPECT_EQ(w.content_type, "text/plain; charset=utf-8");
}

TEST(EncodeResponseTest, InvalidUtf8IsReplacedNotThrown) {
  WireResponse w = EncodeResponse(core::Response::Data({{"k", std::string("\xff\xfe")}}), "r");
  EXPECT_EQ(w.status, 200);
  EXPECT_TRUE(json::accept(w.body));
}

TEST(EncodeErrorTest, InternalDetailIsNeverSent) {
  WireResponse w = EncodeError(Status::Corruption("entry logical/abc failed to decrypt"));
  EXPECT_EQ(w.status, 500);
  EXPECT_EQ(json::parse(w.body), json({{"errors", {"internal error"}}}));
}

TEST(HttpStatusForTest, FollowsVault) {
  EXPECT_EQ(HttpStatusFor(Code::kFailedPrecondition), 400);
  EXPECT_EQ(HttpStatusFor(Code::kStandby), 429);
  EXPECT_EQ(HttpStatusFor(Code::kNotInitialized), 501);
  EXPECT_EQ(HttpStatusFor(Code::kUnavailable), 503);
  EXPECT_EQ(HttpStatusFor(Code::kIOError), 500);
}

}  // namespace
}  // namespace coffer::http
