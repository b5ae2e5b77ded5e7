// Drives http::Server over real sockets with api::Client (and raw sockets
// for what a well-behaved client never sends).
#include "http/server.h"

#include <gtest/gtest.h>
#include <sched.h>

#include <algorithm>
#include <chrono>
#include <atomic>
#include <future>
#include <memory>
#include <regex>
#include <thread>

#include "api/client.h"
#include "raw_connection.h"
#include "recording_handler.h"

namespace coffer::http {
namespace {

using core::Operation;
using nlohmann::json;
using testing::RawConnection;
using testing::RecordingHandler;

config::ListenerConfig PlainListener(uint64_t max_request_size = 0) {
  config::ListenerConfig listener;
  listener.address = "127.0.0.1:0";
  listener.tls_disable = true;
  listener.max_request_size = max_request_size;
  return listener;
}

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override { StartServer(PlainListener()); }

  void StartServer(config::ListenerConfig listener, ServerOptions options = {}) {
    server_ =
        std::make_unique<Server>(std::vector<config::ListenerConfig>{listener}, handler_, options);
    ASSERT_TRUE(server_->Start().ok());
    client_ = NewClient();
  }

  std::unique_ptr<api::Client> NewClient(std::string token = "") {
    api::ClientConfig config;
    config.address = "http://127.0.0.1:" + std::to_string(server_->BoundPort());
    config.token = std::move(token);
    config.timeout = std::chrono::seconds(10);
    auto client = api::Client::Create(config);
    EXPECT_TRUE(client.ok()) << client.status().ToString();
    return std::move(client).value();
  }

  api::Response Send(const std::string& method, const std::string& path,
                     const std::optional<json>& body = std::nullopt,
                     const api::Headers& headers = {}) {
    auto response = client_->Request(method, path, body, headers);
    EXPECT_TRUE(response.ok()) << response.status().ToString();
    return response.ok() ? std::move(response).value() : api::Response{};
  }

  RecordingHandler handler_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<api::Client> client_;
};

TEST_F(HttpServerTest, GetIsARead) {
  Send("GET", "secret/foo");
  EXPECT_EQ(handler_.Last().operation, Operation::kRead);
  EXPECT_EQ(handler_.Last().path, "secret/foo");
  EXPECT_EQ(handler_.Last().http_method, "GET");
}

TEST_F(HttpServerTest, GetWithListTrueIsAList) {
  Send("GET", "secret/?list=true");
  EXPECT_EQ(handler_.Last().operation, Operation::kList);
  EXPECT_EQ(handler_.Last().path, "secret/");
}

TEST_F(HttpServerTest, ListMethodIsAList) {
  Send("LIST", "secret/");
  EXPECT_EQ(handler_.Last().operation, Operation::kList);
}

TEST_F(HttpServerTest, PostAndPutAreUpdatesWithTheirBody) {
  Send("POST", "secret/a", json{{"x", 1}});
  EXPECT_EQ(handler_.Last().operation, Operation::kUpdate);
  EXPECT_EQ(handler_.Last().data, json({{"x", 1}}));
  Send("PUT", "secret/b", json{{"y", "z"}});
  EXPECT_EQ(handler_.Last().operation, Operation::kUpdate);
  EXPECT_EQ(handler_.Last().data, json({{"y", "z"}}));
}

TEST_F(HttpServerTest, PatchIsAPatch) {
  Send("PATCH", "secret/a", json{{"x", 2}});
  EXPECT_EQ(handler_.Last().operation, Operation::kPatch);
}

TEST_F(HttpServerTest, DeleteIsADelete) {
  Send("DELETE", "secret/a");
  EXPECT_EQ(handler_.Last().operation, Operation::kDelete);
}

TEST_F(HttpServerTest, HelpQueryIsHelp) {
  Send("GET", "secret/a?help=1");
  EXPECT_EQ(handler_.Last().operation, Operation::kHelp);
}

TEST_F(HttpServerTest, HeadIsAReadAnsweredWithoutBody) {
  api::Response get = Send("GET", "sys/health");
  api::Response head = Send("HEAD", "sys/health");
  EXPECT_EQ(handler_.Last().operation, Operation::kRead);
  EXPECT_EQ(handler_.Last().http_method, "HEAD");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.raw_body.empty());
  // Same length as the GET's body: request ids are fixed-size UUIDs.
  EXPECT_EQ(head.headers["content-length"], std::to_string(get.raw_body.size()));
  // The connection is still in sync afterwards.
  EXPECT_EQ(Send("GET", "sys/health").status, 200);
}

TEST_F(HttpServerTest, UnknownMethodIs405) {
  api::Response r = Send("OPTIONS", "secret/a");
  EXPECT_EQ(r.status, 405);
  EXPECT_TRUE(r.body["errors"].is_array());
  EXPECT_EQ(handler_.Count(), 0u);
}

TEST_F(HttpServerTest, XVaultTokenIsTheClientToken) {
  client_ = NewClient("s.token1");
  Send("GET", "secret/a");
  EXPECT_EQ(handler_.Last().client_token, "s.token1");
}

TEST_F(HttpServerTest, BearerAuthorizationIsTheClientToken) {
  Send("GET", "secret/a", std::nullopt, {{"Authorization", "Bearer s.token2"}});
  EXPECT_EQ(handler_.Last().client_token, "s.token2");
}

TEST_F(HttpServerTest, XVaultTokenWinsOverBearer) {
  client_ = NewClient("s.header");
  Send("GET", "secret/a", std::nullopt, {{"Authorization", "Bearer s.bearer"}});
  EXPECT_EQ(handler_.Last().client_token, "s.header");
}

TEST_F(HttpServerTest, NoTokenIsEmpty) {
  Send("GET", "secret/a");
  EXPECT_EQ(handler_.Last().client_token, "");
}

TEST_F(HttpServerTest, WrapTtlHeaderIsPassedOn) {
  Send("GET", "secret/a", std::nullopt, {{"X-Vault-Wrap-TTL", "5m"}});
  EXPECT_EQ(handler_.Last().wrap_ttl, "5m");
}

TEST_F(HttpServerTest, QueryParametersArriveDecoded) {
  Send("GET", "sys/health?standbyok=true&name=a%20b&sum=1+2");
  core::Request r = handler_.Last();
  EXPECT_EQ(r.query.at("standbyok"), "true");
  EXPECT_EQ(r.query.at("name"), "a b");
  EXPECT_EQ(r.query.at("sum"), "1 2");
}

TEST_F(HttpServerTest, PathArrivesPercentDecoded) {
  Send("GET", "secret/a%20b");
  EXPECT_EQ(handler_.Last().path, "secret/a b");
}

TEST_F(HttpServerTest, RemoteAddressIsTheClientIp) {
  Send("GET", "secret/a");
  EXPECT_EQ(handler_.Last().remote_address, "127.0.0.1");
}

TEST_F(HttpServerTest, ResponseIsWrappedInVaultsEnvelope) {
  handler_.SetReply([](const core::Request&) {
    core::Response r = core::Response::Data({{"password", "hunter2"}});
    r.lease_id = "database/creds/ro/abc";
    r.renewable = true;
    r.lease_duration = 60;
    r.warnings = {"careful"};
    return r;
  });
  api::Response r = Send("GET", "database/creds/ro");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"], "application/json");
  EXPECT_EQ(r.headers["cache-control"], "no-store");
  EXPECT_TRUE(std::regex_match(r.body["request_id"].get<std::string>(),
                               std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                                          "[0-9a-f]{12}")));
  EXPECT_EQ(r.body["lease_id"], "database/creds/ro/abc");
  EXPECT_EQ(r.body["renewable"], true);
  EXPECT_EQ(r.body["lease_duration"], 60);
  EXPECT_EQ(r.body["data"]["password"], "hunter2");
  EXPECT_EQ(r.body["warnings"], json::array({"careful"}));
  EXPECT_TRUE(r.body["wrap_info"].is_null());
  EXPECT_TRUE(r.body["auth"].is_null());
  EXPECT_EQ(r.body["mount_type"], "");
}

TEST_F(HttpServerTest, EmptyResponseIs204WithoutBody) {
  handler_.SetReply([](const core::Request&) { return core::Response::NoContent(); });
  api::Response r = Send("DELETE", "secret/a");
  EXPECT_EQ(r.status, 204);
  EXPECT_TRUE(r.raw_body.empty());
  EXPECT_TRUE(r.body.is_null());
}

TEST_F(HttpServerTest, RawResponseIsSentVerbatim) {
  handler_.SetReply([](const core::Request&) {
    return core::Response::Raw({{"initialized", true}, {"sealed", true}}, 503);
  });
  api::Response r = Send("GET", "sys/health");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body, json({{"initialized", true}, {"sealed", true}}));
}

TEST_F(HttpServerTest, ErrorCodesMapToVaultStatuses) {
  const std::vector<std::pair<Status, int>> cases = {
      {Status::InvalidArgument("bad"), 400},
      {Status::FailedPrecondition("state"), 400},
      {Status::PermissionDenied(), 403},
      {Status::NotFound("nope"), 404},
      {Status::Unsupported("no list here"), 405},
      {Status::TooLarge("big"), 413},
      {Status::Standby("standby"), 429},
      {Status::NotInitialized(), 501},
      {Status::Sealed(), 503},
      {Status::Unavailable("db down"), 503},
  };
  for (const auto& [status, code] : cases) {
    handler_.SetReply([status = status](const core::Request&) { return status; });
    api::Response r = Send("GET", "secret/a");
    EXPECT_EQ(r.status, code) << status.ToString();
    EXPECT_EQ(r.body, json({{"errors", {status.message()}}})) << status.ToString();
    EXPECT_EQ(api::ErrorFromResponse(r).code(),
              status.code() == Code::kFailedPrecondition ? Code::kInvalidArgument : status.code());
  }
}

TEST_F(HttpServerTest, InternalErrorsSendOnlyAGenericMessage) {
  for (const Status& status : {Status::Internal("lmdb: /var/lib/coffer/data.mdb: EIO"),
                               Status::IOError("write /var/lib/coffer: ENOSPC"),
                               Status::Corruption("kek v3 for mount 1234 failed to unwrap")}) {
    handler_.SetReply([status](const core::Request&) { return status; });
    api::Response r = Send("GET", "secret/a");
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.body, json({{"errors", {"internal error"}}}));
  }
}

TEST_F(HttpServerTest, HandlerExceptionIs500AndTheServerKeepsServing) {
  handler_.SetReply([](const core::Request&) -> Result<core::Response> {
    throw std::runtime_error("secret detail");
  });
  api::Response r = Send("GET", "secret/a");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body, json({{"errors", {"internal error"}}}));
  handler_.SetReply(nullptr);
  EXPECT_EQ(Send("GET", "secret/a").status, 200);
}

TEST_F(HttpServerTest, InvalidJsonBodyIs400) {
  auto r = client_->RequestTarget("POST", "/v1/secret/a", std::string("{not json"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 400);
  ASSERT_EQ(api::ErrorMessages(*r).size(), 1u);
  EXPECT_EQ(api::ErrorMessages(*r)[0].rfind("failed to parse JSON input: ", 0), 0u);
  EXPECT_EQ(handler_.Count(), 0u);
}

TEST_F(HttpServerTest, JsonBodyThatIsNotAnObjectIs400) {
  auto r = client_->RequestTarget("PUT", "/v1/secret/a", std::string("\"text\""));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 400);
}

TEST_F(HttpServerTest, EmptyWriteBodyIsAnEmptyObject) {
  auto r = client_->RequestTarget("POST", "/v1/sys/seal", std::string());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(handler_.Last().data, json::object());
}

TEST_F(HttpServerTest, BodyOverTheDefaultLimitIs413) {
  std::string big = "{\"v\":\"" + std::string(600 * 1024, 'a') + "\"}";
  auto r = client_->RequestTarget("PUT", "/v1/secret/a", big);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 413);
  EXPECT_TRUE(r->body["errors"].is_array());
  EXPECT_EQ(handler_.Count(), 0u);
  // The client reconnects and carries on.
  EXPECT_EQ(Send("GET", "secret/a").status, 200);
}

TEST_F(HttpServerTest, BodyJustUnderTheLimitIsAccepted) {
  std::string body = "{\"v\":\"" + std::string(500 * 1024, 'a') + "\"}";
  auto r = client_->RequestTarget("PUT", "/v1/secret/a", body);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
}

TEST_F(HttpServerTest, ConfiguredMaxRequestSizeApplies) {
  StartServer(PlainListener(/*max_request_size=*/100));
  auto r = client_->RequestTarget("PUT", "/v1/secret/a", std::string(200, ' '));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 413);
}

TEST_F(HttpServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Send("GET", "secret/a").status, 200);
  }
  EXPECT_EQ(server_->AcceptedConnections(), 1u);
}

TEST_F(HttpServerTest, PathOutsideV1Is404WithErrors) {
  auto r = client_->RequestTarget("GET", "/ui/index.html");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 404);
  EXPECT_TRUE(r->body["errors"].is_array());
  EXPECT_EQ(handler_.Count(), 0u);
}

TEST_F(HttpServerTest, ErrorFromResponseReadsLikeVaults) {
  handler_.SetReply([](const core::Request&) { return Status::PermissionDenied(); });
  api::Response r = Send("GET", "secret/a");
  Status status = api::ErrorFromResponse(r);
  EXPECT_EQ(status.code(), Code::kPermissionDenied);
  EXPECT_NE(status.message().find("URL: GET http://127.0.0.1:"), std::string::npos);
  EXPECT_NE(status.message().find("Code: 403. Errors:\n\n* permission denied"), std::string::npos);
}

TEST_F(HttpServerTest, MalformedHttpIs400AndCloses) {
  RawConnection raw(server_->BoundPort());
  ASSERT_TRUE(raw.connected());
  ASSERT_TRUE(raw.Send("GET /v1/x HTTP/1.1\r\nBad Header Line\r\n\r\n"));
  bool eof = false;
  std::string response = raw.ReadToEnd(&eof);
  EXPECT_EQ(response.rfind("HTTP/1.1 400", 0), 0u) << response;
  EXPECT_TRUE(eof);
}

TEST_F(HttpServerTest, Http10RequestIsAnsweredAndClosed) {
  RawConnection raw(server_->BoundPort());
  ASSERT_TRUE(raw.Send("GET /v1/secret/a HTTP/1.0\r\n\r\n"));
  bool eof = false;
  std::string response = raw.ReadToEnd(&eof);
  EXPECT_EQ(response.rfind("HTTP/1.0 200", 0), 0u) << response;
  EXPECT_TRUE(eof);
}

TEST_F(HttpServerTest, Http10KeepAliveIsHonoured) {
  RawConnection raw(server_->BoundPort());
  const std::string request = "GET /v1/secret/a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
  ASSERT_TRUE(raw.Send(request));
  EXPECT_NE(raw.ReadUntil("}").find("200"), std::string::npos);
  ASSERT_TRUE(raw.Send(request));
  EXPECT_NE(raw.ReadUntil("}").find("200"), std::string::npos);
  EXPECT_EQ(server_->AcceptedConnections(), 1u);
}

TEST_F(HttpServerTest, ExpectContinueGetsA100BeforeTheBody) {
  RawConnection raw(server_->BoundPort());
  ASSERT_TRUE(raw.Send(
      "PUT /v1/secret/a HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\nExpect: 100-continue\r\n\r\n"));
  EXPECT_EQ(raw.ReadUntil("\r\n\r\n"), "HTTP/1.1 100 Continue\r\n\r\n");
  ASSERT_TRUE(raw.Send("{\"a\":1}"));
  EXPECT_EQ(raw.ReadUntil("}").rfind("HTTP/1.1 200", 0), 0u);
  EXPECT_EQ(handler_.Last().data, json({{"a", 1}}));
}

TEST_F(HttpServerTest, IdleKeepAliveConnectionIsClosedAfterIdleTimeout) {
  StartServer(PlainListener(), ServerOptions{.idle_timeout = std::chrono::seconds(1)});
  RawConnection raw(server_->BoundPort());
  ASSERT_TRUE(raw.Send("GET /v1/secret/a HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(raw.ReadUntil("}").rfind("HTTP/1.1 200", 0), 0u);
  // The deadline moved later with the request; the timer must still fire.
  const auto start = std::chrono::steady_clock::now();
  bool eof = false;
  EXPECT_EQ(raw.ReadToEnd(&eof), "");
  EXPECT_TRUE(eof);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
}

TEST_F(HttpServerTest, IncompleteRequestIsClosedAfterIdleTimeout) {
  StartServer(PlainListener(), ServerOptions{.idle_timeout = std::chrono::seconds(1)});
  RawConnection raw(server_->BoundPort());
  ASSERT_TRUE(raw.Send("GET /v1/secret/a HTTP/1.1\r\nHost: x\r\n"));
  bool eof = false;
  EXPECT_EQ(raw.ReadToEnd(&eof), "");
  EXPECT_TRUE(eof);
}

TEST_F(HttpServerTest, SlowHandlerDoesNotBlockOtherConnections) {
  StartServer(PlainListener(), ServerOptions{.io_threads = 1, .worker_threads = 4});
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  handler_.SetReply([released](const core::Request& r) -> Result<core::Response> {
    if (r.path == "slow") {
      released.wait();
    }
    return core::Response::Data({{"path", r.path}});
  });
  auto slow_client = NewClient();
  auto slow = std::async(std::launch::async, [&] { return slow_client->Request("GET", "slow"); });
  while (handler_.Count() == 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  // The only IO thread is free while the slow handler blocks a worker.
  EXPECT_EQ(Send("GET", "fast").body["data"]["path"], "fast");
  release.set_value();
  auto slow_response = slow.get();
  ASSERT_TRUE(slow_response.ok());
  EXPECT_EQ(slow_response->body["data"]["path"], "slow");
}

// Requests that wait only for storage have their own pool: with one
// general worker held by a slow call out, a storage request is still
// served, and a storage request held does not hold up the others.
TEST_F(HttpServerTest, StorageOnlyRequestsHaveTheirOwnWorkers) {
  StartServer(PlainListener(),
              ServerOptions{.io_threads = 1, .worker_threads = 1, .storage_worker_threads = 1});
  handler_.StorageOnly([](const core::Request& r) { return r.path.starts_with("store/"); });
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> held{0};
  handler_.SetReply([released, &held](const core::Request& r) -> Result<core::Response> {
    if (r.path.ends_with("/slow") || r.path == "slow") {
      ++held;
      released.wait();
    }
    return core::Response::Data({{"path", r.path}});
  });
  auto slow_client = NewClient();
  auto slow_store_client = NewClient();
  auto slow = std::async(std::launch::async, [&] { return slow_client->Request("PUT", "slow"); });
  auto slow_store = std::async(std::launch::async,
                               [&] { return slow_store_client->Request("PUT", "store/slow"); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (held.load() < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  // Each pool's only thread is held, one by each kind: neither pool serves
  // the other kind, or one of the two would still be queued.
  ASSERT_EQ(held.load(), 2);
  release.set_value();
  ASSERT_TRUE(slow.get().ok());
  ASSERT_TRUE(slow_store.get().ok());
  EXPECT_EQ(Send("PUT", "store/fast").body["data"]["path"], "store/fast");
  EXPECT_EQ(Send("PUT", "fast").body["data"]["path"], "fast");
}

// A handler answering after HandleAsync returned (Core does, once the
// response's audit entry is durable) frees its worker: with one worker, a
// second request reaches the handler while the first is unanswered, and
// both answers, made on another thread, reach their clients.
TEST_F(HttpServerTest, AWorkerIsFreeWhileItsAnswerIsOutstanding) {
  StartServer(PlainListener(), ServerOptions{.io_threads = 1, .worker_threads = 1});
  handler_.DeferAnswers();
  handler_.SetReply([](const core::Request& r) -> Result<core::Response> {
    return core::Response::Data({{"path", r.path}});
  });
  auto first_client = NewClient();
  auto second_client = NewClient();
  auto first = std::async(std::launch::async,
                          [&] { return first_client->Request("PUT", "one", json{{"a", 1}}); });
  auto second = std::async(std::launch::async,
                           [&] { return second_client->Request("PUT", "two", json{{"a", 2}}); });
  ASSERT_TRUE(handler_.WaitForHeld(2, std::chrono::seconds(10)));
  handler_.ReleaseAnswers();
  auto first_response = first.get();
  auto second_response = second.get();
  ASSERT_TRUE(first_response.ok() && second_response.ok());
  EXPECT_EQ(first_response->body["data"]["path"], "one");
  EXPECT_EQ(second_response->body["data"]["path"], "two");
}

// Stop keeps the IO context (which a reply posts to) until every reply
// made after the workers finished has been made: it waits for the held
// answer, and returns once it is given.
TEST_F(HttpServerTest, StopWaitsForRepliesStillToBeMade) {
  StartServer(PlainListener(), ServerOptions{.io_threads = 1, .worker_threads = 1});
  handler_.DeferAnswers();
  auto client = NewClient();
  auto request = std::async(std::launch::async,
                            [&] { return client->Request("PUT", "x", json{{"a", 1}}); });
  ASSERT_TRUE(handler_.WaitForHeld(1, std::chrono::seconds(10)));
  auto stopped = std::async(std::launch::async, [&] { server_->Stop(); });
  EXPECT_EQ(stopped.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout);
  handler_.ReleaseAnswers();  // posts to the stopped server's context
  EXPECT_EQ(stopped.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  // The reply was queued on a stopped context, never sent: the client sees
  // the connection close.
  EXPECT_FALSE(request.get().ok());
}

TEST_F(HttpServerTest, HoldsManyIdleKeepAliveConnections) {
  constexpr size_t kConnections = 500;
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (size_t i = 0; i < kConnections; ++i) {
    idle.push_back(std::make_unique<RawConnection>(server_->BoundPort()));
    ASSERT_TRUE(idle.back()->connected());
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (server_->OpenConnections() < kConnections && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(server_->OpenConnections(), kConnections);
  EXPECT_EQ(Send("GET", "secret/a").status, 200);
  ASSERT_TRUE(idle[0]->Send("GET /v1/secret/a HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(idle[0]->ReadUntil("}").rfind("HTTP/1.1 200", 0), 0u);
}

TEST_F(HttpServerTest, StopClosesIdleConnections) {
  RawConnection raw(server_->BoundPort());
  ASSERT_TRUE(raw.Send("GET /v1/secret/a HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_NE(raw.ReadUntil("}").find("200"), std::string::npos);
  server_->Stop();
  bool eof = false;
  raw.ReadToEnd(&eof);
  EXPECT_TRUE(eof);
  EXPECT_EQ(server_->OpenConnections(), 0u);
}

// IO threads follow the CPUs the process may use: pinned to one core (as
// `taskset -c 0` or a one-CPU cpuset does), a second IO thread would only
// contend with the first for the IO context.
TEST(HttpServerStartTest, IoThreadsFollowTheUsableCpus) {
  EXPECT_EQ(IoThreadCount(3), 3u);  // configured: kept as given
  cpu_set_t saved;
  ASSERT_EQ(sched_getaffinity(0, sizeof(saved), &saved), 0);
  const size_t usable = static_cast<size_t>(CPU_COUNT(&saved));
  EXPECT_EQ(IoThreadCount(0), std::min<size_t>(usable, 2));

  // Pin this thread to the first CPU it may use, as taskset would.
  cpu_set_t one;
  CPU_ZERO(&one);
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &saved)) {
      CPU_SET(cpu, &one);
      break;
    }
  }
  ASSERT_EQ(sched_setaffinity(0, sizeof(one), &one), 0);
  const size_t pinned = IoThreadCount(0);
  ASSERT_EQ(sched_setaffinity(0, sizeof(saved), &saved), 0);
  EXPECT_EQ(pinned, 1u);
}

TEST(HttpServerStartTest, PortInUseFailsWithAClearError) {
  RecordingHandler handler;
  Server first({PlainListener()}, handler);
  ASSERT_TRUE(first.Start().ok());
  config::ListenerConfig same = PlainListener();
  same.address = "127.0.0.1:" + std::to_string(first.BoundPort());
  Server second({same}, handler);
  Status status = second.Start();
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("bind"), std::string::npos) << status.ToString();
  EXPECT_NE(status.message().find(same.address), std::string::npos) << status.ToString();
}

TEST(HttpServerStartTest, BadAddressFails) {
  RecordingHandler handler;
  for (const char* address : {"127.0.0.1", "127.0.0.1:99999", "::1:8200"}) {
    config::ListenerConfig listener = PlainListener();
    listener.address = address;
    Server server({listener}, handler);
    Status status = server.Start();
    EXPECT_FALSE(status.ok()) << address;
    EXPECT_NE(status.message().find(address), std::string::npos) << status.ToString();
  }
}

TEST(HttpServerStartTest, EveryListenerIsBound) {
  RecordingHandler handler;
  Server server({PlainListener(), PlainListener()}, handler);
  ASSERT_TRUE(server.Start().ok());
  EXPECT_NE(server.BoundPort(0), 0);
  EXPECT_NE(server.BoundPort(1), 0);
  EXPECT_NE(server.BoundPort(0), server.BoundPort(1));
  EXPECT_EQ(server.BoundPort(2), 0);
}

TEST(ApiClientTest, ConnectionRefusedIsUnavailable) {
  api::ClientConfig config;
  config.address = "http://127.0.0.1:1";
  auto client = api::Client::Create(config);
  ASSERT_TRUE(client.ok());
  auto r = (*client)->Request("GET", "sys/health");
  EXPECT_EQ(r.status().code(), Code::kUnavailable);
}

TEST(ApiClientTest, BadAddressIsRejected) {
  for (const char* address : {"127.0.0.1:8200", "ftp://x", "http://", "http://h:0", "http://h:x"}) {
    api::ClientConfig config;
    config.address = address;
    EXPECT_EQ(api::Client::Create(config).status().code(), Code::kInvalidArgument) << address;
  }
}

}  // namespace
}  // namespace coffer::http
