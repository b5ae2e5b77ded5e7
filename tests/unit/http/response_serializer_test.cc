#include "http/response_serializer.h"

#include <gtest/gtest.h>

#include <boost/beast/http.hpp>
#include <sstream>
#include <string>

namespace coffer::http {
namespace {

namespace bhttp = boost::beast::http;

std::string Serialize(const WireResponse& response, const ResponseFraming& framing) {
  std::string out;
  SerializeResponse(response, framing, out);
  return out;
}

WireResponse Json(int status, std::string body) {
  WireResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

constexpr ResponseFraming kKeepAlive11{11, true, false};
constexpr ResponseFraming kClose11{11, false, false};

TEST(SerializeResponseTest, JsonOkKeepAlive) {
  EXPECT_EQ(Serialize(Json(200, R"({"a":1})"), kKeepAlive11),
            "HTTP/1.1 200 OK\r\n"
            "Content-Type: application/json\r\n"
            "Cache-Control: no-store\r\n"
            "Content-Length: 7\r\n"
            "\r\n"
            R"({"a":1})");
}

TEST(SerializeResponseTest, NoContentHasNoTypeAndZeroLength) {
  EXPECT_EQ(Serialize(Json(204, ""), kKeepAlive11),
            "HTTP/1.1 204 No Content\r\n"
            "Cache-Control: no-store\r\n"
            "Content-Length: 0\r\n"
            "\r\n");
}

TEST(SerializeResponseTest, ErrorThatClosesSaysConnectionClose) {
  EXPECT_EQ(Serialize(Json(413, R"({"errors":["request body too large"]})"), kClose11),
            "HTTP/1.1 413 Payload Too Large\r\n"
            "Content-Type: application/json\r\n"
            "Cache-Control: no-store\r\n"
            "Connection: close\r\n"
            "Content-Length: 37\r\n"
            "\r\n"
            R"({"errors":["request body too large"]})");
}

TEST(SerializeResponseTest, NotFoundWithEmptyErrors) {
  EXPECT_EQ(Serialize(Json(404, R"({"errors":[]})"), kKeepAlive11),
            "HTTP/1.1 404 Not Found\r\n"
            "Content-Type: application/json\r\n"
            "Cache-Control: no-store\r\n"
            "Content-Length: 13\r\n"
            "\r\n"
            R"({"errors":[]})");
}

TEST(SerializeResponseTest, HeadKeepsLengthButSendsNoBody) {
  EXPECT_EQ(Serialize(Json(200, "hello"), ResponseFraming{11, true, true}),
            "HTTP/1.1 200 OK\r\n"
            "Content-Type: application/json\r\n"
            "Cache-Control: no-store\r\n"
            "Content-Length: 5\r\n"
            "\r\n");
}

TEST(SerializeResponseTest, Http10KeepAliveIsExplicit) {
  EXPECT_EQ(Serialize(Json(200, "{}"), ResponseFraming{10, true, false}),
            "HTTP/1.0 200 OK\r\n"
            "Content-Type: application/json\r\n"
            "Cache-Control: no-store\r\n"
            "Connection: keep-alive\r\n"
            "Content-Length: 2\r\n"
            "\r\n"
            "{}");
  EXPECT_EQ(Serialize(Json(200, "{}"), ResponseFraming{10, false, false}),
            "HTTP/1.0 200 OK\r\n"
            "Content-Type: application/json\r\n"
            "Cache-Control: no-store\r\n"
            "Content-Length: 2\r\n"
            "\r\n"
            "{}");
}

TEST(SerializeResponseTest, ReusesTheBufferWithoutStaleBytes) {
  std::string out;
  SerializeResponse(Json(200, std::string(500, 'x')), kKeepAlive11, out);
  const size_t capacity = out.capacity();
  SerializeResponse(Json(204, ""), kKeepAlive11, out);
  EXPECT_EQ(out, "HTTP/1.1 204 No Content\r\nCache-Control: no-store\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(out.capacity(), capacity);
}

TEST(SerializeContinueTest, HasNoHeaders) {
  std::string out;
  SerializeContinue(11, out);
  EXPECT_EQ(out, "HTTP/1.1 100 Continue\r\n\r\n");
}

// What the connection sent before it had its own serializer: Beast's
// serializer on the message Connection::Write used to build.
std::string BeastBytes(const WireResponse& wire, const ResponseFraming& framing) {
  bhttp::response<bhttp::string_body> response;
  response.version(framing.version);
  response.result(static_cast<unsigned>(wire.status));
  if (wire.status != 204) {
    response.set(bhttp::field::content_type, wire.content_type);
  }
  response.set(bhttp::field::cache_control, "no-store");
  response.keep_alive(framing.keep_alive);
  response.body() = wire.body;
  response.prepare_payload();
  if (framing.head) {
    response.body().clear();
  }
  std::ostringstream os;
  os << response;
  return os.str();
}

TEST(SerializeResponseTest, MatchesBeastForEveryStatusAndFraming) {
  for (int status = 200; status <= 599; ++status) {
    for (unsigned version : {10u, 11u}) {
      for (bool keep_alive : {false, true}) {
        for (bool head : {false, true}) {
          WireResponse wire = Json(status, status == 204 || status == 304 ? "" : "{\"k\":\"v\"}");
          if (status == 299) {
            wire.content_type = "text/plain; charset=utf-8";
          }
          const ResponseFraming framing{version, keep_alive, head};
          ASSERT_EQ(Serialize(wire, framing), BeastBytes(wire, framing))
              << status << " " << version << " " << keep_alive << " " << head;
        }
      }
    }
  }
}

TEST(SerializeContinueTest, MatchesBeast) {
  for (unsigned version : {10u, 11u}) {
    bhttp::response<bhttp::empty_body> response(bhttp::status::continue_, version);
    std::ostringstream os;
    os << response;
    std::string out;
    SerializeContinue(version, out);
    EXPECT_EQ(out, os.str());
  }
}

}  // namespace
}  // namespace coffer::http
