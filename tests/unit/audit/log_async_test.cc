// Broker::LogAsync and the ticket deadlines behind it: the asynchronous
// audit path that lets a request be served without a thread waiting for
// the device.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include "audit/broker.h"
#include "audit/ticket_deadlines.h"
#include "audit/verify.h"
#include "audit_test_util.h"

namespace coffer::audit {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// OpenDevice is OpenFile for tests that only want a working device.
std::unique_ptr<Device> OpenDevice(const std::string& path, bool strict) {
  auto device = OpenFile(path, strict);
  EXPECT_TRUE(device.ok()) << device.status().ToString();
  return device.ok() ? std::move(*device) : nullptr;
}

// The response data the pairs below borrow; it outlives every test.
const json& SecretData() {
  static const json data = {{"password", "s3cret"}};
  return data;
}

EntryPair Pair(const std::string& path) {
  EntryPair pair;
  pair.auth = std::make_shared<const json>(
      json{{"client_token", "tok"}, {"accessor", "acc"}, {"policies", {"default"}}});
  pair.request.path = path;
  pair.request.operation = "read";
  pair.request.client_token = "tok";
  pair.request_time = "2026-11-23T20:00:00Z";
  pair.response_time = "2026-11-23T20:00:01Z";
  pair.response.emplace();
  pair.response->data = &SecretData();
  return pair;
}

// Outcome collects what a completion reports.
struct Outcome {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<Status> calls;

  Broker::Completion Callback() {
    return [this](Status s) {
      std::lock_guard lock(mu);
      calls.push_back(std::move(s));
      cv.notify_all();
    };
  }
  bool WaitFor(size_t n, std::chrono::milliseconds limit) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, limit, [&] { return calls.size() >= n; });
  }
};

TEST(AuditLogAsync, WritesTheEntriesTogetherInOrderAndCompletesOnce) {
  const std::string log = TempDir() + "/audit.log";
  Broker broker;
  ASSERT_TRUE(broker.Enable(OpenDevice(log, true)).ok());
  Outcome outcome;
  auto entries = Pair("secret/data/a");
  broker.LogAsync(entries, outcome.Callback());
  ASSERT_TRUE(outcome.WaitFor(1, 5s));
  std::this_thread::sleep_for(50ms);  // a second call would show up here
  ASSERT_EQ(outcome.calls.size(), 1u);
  EXPECT_TRUE(outcome.calls[0].ok()) << outcome.calls[0].ToString();
  auto lines = ReadLines(log);
  ASSERT_EQ(lines.size(), 3u);  // genesis, request, response
  EXPECT_EQ(lines[1]["type"], "request");
  EXPECT_EQ(lines[2]["type"], "response");
  EXPECT_EQ(lines[1]["request"]["path"], "secret/data/a");
  EXPECT_EQ(lines[2]["request"], lines[1]["request"]);
  // Hashed like every entry: the secret is not in the file.
  EXPECT_NE(lines[2]["response"]["data"]["password"], "s3cret");
  EXPECT_TRUE(lines[2]["response"]["data"]["password"].get<std::string>().starts_with("hmac-sha256:"));
}

TEST(AuditLogAsync, ConcurrentSubmissionsAllLandAndTheChainVerifies) {
  const std::string log = TempDir() + "/audit.log";
  Broker broker;
  ASSERT_TRUE(broker.Enable(OpenDevice(log, true)).ok());
  constexpr int kThreads = 8;
  constexpr int kEach = 150;
  Outcome outcome;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto entries = Pair("p/" + std::to_string(t) + "/" + std::to_string(i));
        broker.LogAsync(entries, outcome.Callback());
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  ASSERT_TRUE(outcome.WaitFor(kThreads * kEach, 20s));
  for (const Status& s : outcome.calls) {
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  int requests = 0;
  int responses = 0;
  for (const auto& l : ReadLines(log)) {
    requests += l["type"] == "request";
    responses += l["type"] == "response";
  }
  EXPECT_EQ(requests, kThreads * kEach);
  EXPECT_EQ(responses, kThreads * kEach);
  auto report = VerifyFiles({log});
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->problem;
}

TEST(AuditLogAsync, FailsClosedWhenNoDeviceCanWrite) {
  Broker broker;
  ASSERT_TRUE(broker.Enable(OpenDevice("/dev/full", /*strict=*/false)).ok());
  Outcome outcome;
  auto entries = Pair("lost");
  broker.LogAsync(entries, outcome.Callback());
  ASSERT_TRUE(outcome.WaitFor(1, 5s));
  EXPECT_EQ(outcome.calls[0].code(), Code::kUnavailable);
}

// PreparePair serializes the shared members once; the lines must be
// exactly what logging the two entries apart would write.
TEST(AuditLogAsync, PreparedPairEqualsTheEntriesPreparedApart) {
  const std::string dir = TempDir();
  EntryPair failed = Pair("secret/data/denied");
  failed.request_error = "permission denied";
  failed.response_error = "permission denied";
  failed.response.reset();
  EntryPair engine_failed = Pair("secret/data/x");
  engine_failed.response_error = "boom \"quoted\"\n";
  engine_failed.response.reset();
  EntryPair unicode = Pair("secret/data/caf\xc3\xa9");
  const json unicode_data = {{"k\x01", "v\xff"}};
  const std::vector<std::string> warnings = {"w"};
  unicode.response->data = &unicode_data;
  unicode.response->warnings = &warnings;
  // A shared auth member is derived once per device and reused: the
  // second use of the same object must still give the same lines.
  EntryPair shared = Pair("secret/data/shared");
  shared.auth_shared = true;
  EntryPair unauthenticated = Pair("secret/data/anon");
  unauthenticated.auth = nullptr;
  // The response's data borrowed: it must land in its sorted place (after
  // "auth", before "mount_*"), hashed like the rest, known hashes (the
  // token) included.
  const json borrowed_data = {
      {"data", {{"password", "s3cret"}, {"empty", ""}, {"token", "tok"}, {"n", 3},
                {"list", {"a", 1, json::object({{"deep", "x\xc3\xa9"}})}}}},
      {"metadata", {{"version", 2}, {"deleted", nullptr}, {"f", 1.5}}}};
  const json login_auth = {{"client_token", "new"}, {"accessor", "acc2"}};
  const json wrap_info = {{"token", "wt"}};
  EntryPair borrowed = Pair("secret/data/borrowed");
  borrowed.auth_shared = true;
  borrowed.response->auth = &login_auth;
  borrowed.response->mount_accessor = "kv_1";
  borrowed.response->mount_type = "kv";
  borrowed.response->lease_id = "l";
  borrowed.response->warnings = &warnings;
  borrowed.response->wrap_info = &wrap_info;
  borrowed.response->data = &borrowed_data;
  EntryPair borrowed_only = Pair("secret/data/only");
  borrowed_only.response->data = &borrowed_data;
  EntryPair no_data = Pair("secret/data/first");
  no_data.response->mount_type = "kv";
  no_data.response->data = nullptr;
  int n = 0;
  for (const std::map<std::string, std::string>& options :
       {std::map<std::string, std::string>{},
        {{"log_raw", "true"}},
        {{"hmac_accessor", "false"}},
        {{"format", "jsonx"}}}) {
    auto device = OpenFile(dir + "/audit" + std::to_string(n++) + ".log", true, options);
    ASSERT_TRUE(device.ok()) << device.status().ToString();
    for (const EntryPair& pair : {Pair("secret/data/a"), failed, engine_failed, unicode, shared,
                                  shared, unauthenticated, borrowed, borrowed, borrowed_only,
                                  no_data}) {
      ExpectPreparedAsEntriesApart(**device, pair);
    }
  }
}

// A device caches what it derives from a shared auth member by the
// object's identity; a new object for the same token (a new TTL second, a
// renewal) must be derived anew, never served from the old one.
TEST(AuditLogAsync, ANewSharedAuthObjectIsNotServedFromTheCache) {
  const std::string dir = TempDir();
  auto device = OpenDevice(dir + "/audit.log", true);
  ASSERT_NE(device, nullptr);
  EntryPair first = Pair("secret/data/a");
  first.auth_shared = true;
  const std::string before = device->PreparePair(first)[0];
  EntryPair renewed = Pair("secret/data/a");
  renewed.auth_shared = true;
  json changed = *renewed.auth;
  changed["policies"] = {"default", "extra"};
  renewed.auth = std::make_shared<const json>(changed);
  const std::string after = device->PreparePair(renewed)[0];
  EXPECT_NE(before, after);
  EXPECT_EQ(after, device->Prepare(renewed.RequestEntry()));
  EXPECT_NE(after.find("extra"), std::string::npos);
  // The first object is still derived as it was.
  EXPECT_EQ(device->PreparePair(first)[0], before);
}

// The token and accessor are hashed once for the auth member and reused in
// the request member; the raw values appear nowhere in the line.
TEST(AuditLogAsync, ATokenHashedOnceLeavesNoPlaintextInEitherMember) {
  const std::string dir = TempDir();
  auto device = OpenDevice(dir + "/audit.log", true);
  ASSERT_NE(device, nullptr);
  EntryPair pair = Pair("secret/data/a");
  pair.auth_shared = true;
  pair.request.client_token_accessor = "acc";
  for (int i = 0; i < 2; ++i) {
    for (const std::string& line : device->PreparePair(pair)) {
      const json parsed = json::parse(line);
      EXPECT_EQ(parsed["request"]["client_token"], device->Hash("tok"));
      EXPECT_EQ(parsed["request"]["client_token_accessor"], device->Hash("acc"));
      EXPECT_EQ(parsed["auth"]["client_token"], device->Hash("tok"));
      EXPECT_EQ(parsed["auth"]["accessor"], device->Hash("acc"));
      EXPECT_EQ(line.find("\"tok\""), std::string::npos);
    }
  }
}

TEST(AuditLogAsync, NoDeviceCompletesAtOnce) {
  Broker broker;
  Outcome outcome;
  auto entries = Pair("x");
  broker.LogAsync(entries, outcome.Callback());
  ASSERT_EQ(outcome.calls.size(), 1u);  // before LogAsync returned
  EXPECT_TRUE(outcome.calls[0].ok());
}

TEST(AuditTicketDeadlines, ATicketNoDeviceAnswersIsSettledAsFailedAtItsDeadline) {
  TicketDeadlines deadlines;
  std::atomic<int> calls{0};
  std::atomic<bool> durable{true};
  auto ticket = std::make_shared<Ticket>(1, [&](bool d) {
    durable = d;
    ++calls;
  });
  const auto start = std::chrono::steady_clock::now();
  deadlines.Watch(ticket, start + 100ms);
  while (calls.load() == 0 && std::chrono::steady_clock::now() - start < 5s) {
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_EQ(calls.load(), 1);
  EXPECT_FALSE(durable.load());
  EXPECT_GE(std::chrono::steady_clock::now() - start, 100ms);
  // The device answering late does not complete it a second time.
  ticket->Done(true);
  EXPECT_EQ(calls.load(), 1);
}

TEST(AuditTicketDeadlines, ATicketSettledInTimeIsNotExpired) {
  TicketDeadlines deadlines;
  std::atomic<int> calls{0};
  std::atomic<bool> durable{false};
  auto ticket = std::make_shared<Ticket>(2, [&](bool d) {
    durable = d;
    ++calls;
  });
  deadlines.Watch(ticket, std::chrono::steady_clock::now() + 50ms);
  ticket->Done(false);  // one device failed: not settled yet
  EXPECT_EQ(calls.load(), 0);
  ticket->Done(true);
  EXPECT_EQ(calls.load(), 1);
  EXPECT_TRUE(durable.load());
  std::this_thread::sleep_for(150ms);
  EXPECT_EQ(calls.load(), 1);
}

TEST(AuditTicketDeadlines, EveryDeviceFailingSettlesAsFailed) {
  std::atomic<int> calls{0};
  std::atomic<bool> durable{true};
  Ticket ticket(2, [&](bool d) {
    durable = d;
    ++calls;
  });
  ticket.Done(false);
  EXPECT_EQ(calls.load(), 0);
  ticket.Done(false);
  EXPECT_EQ(calls.load(), 1);
  EXPECT_FALSE(durable.load());
}

}  // namespace
}  // namespace coffer::audit
