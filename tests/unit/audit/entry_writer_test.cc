// The entry writer against the document path it replaces: for every
// device option, the lines PreparePair writes straight from a pair's
// members must be byte for byte the lines of building each entry as a
// document, hashing it (HashEntry) and formatting it (FormatEntry), which
// is what Device::Prepare does.
#include "audit/entry_writer.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "audit_test_util.h"
#include "base/compact_json.h"

namespace coffer::audit {
namespace {

using nlohmann::json;

// The documents the pairs borrow; they outlive every test.
struct Documents {
  json write_data = {
      {"data",
       {{"password", "pw"},
        {"empty", ""},
        {"token", "hvs.tok"},  // the client token again: a known hash
        {"n", -3},
        {"u", 18446744073709551615ULL},
        {"f", 1.5},
        {"null", nullptr},
        {"yes", true},
        {"ctl", "a\x01\"\\\n\x7f"},
        {"utf8", "caf\xc3\xa9"},
        {"bad", "v\xff"},
        {"list", {"a", 1, json::object({{"deep", "x"}}), json::array()}}}},
      {"options", {{"cas", 0}}},
      {"k\x01\"", "key needs escaping"}};
  json scalar_data = "a bare string";
  json login_auth = {{"client_token", "hvs.new"},
                     {"accessor", "acc.new"},
                     {"policies", {"default", "app"}},
                     {"token_policies", {"default", "app"}},
                     {"metadata", {{"role_name", "app"}}},
                     {"lease_duration", 3600},
                     {"renewable", true},
                     {"entity_id", ""},
                     {"token_type", "service"}};
  json odd_auth = {{"client_token", 42}, {"accessor", ""}, {"token", "not-hashed-here"}};
  json null_doc = nullptr;
  json wrap_info = {{"token", "hvs.wrap"},
                    {"accessor", "wacc"},
                    {"wrapped_accessor", "wwacc"},
                    {"ttl", 60},
                    {"creation_path", "auth/approle/login"}};
  json odd_wrap = {{"token", json::array({"in", "array"})}, {"accessor", 1}};
  json read_data = {{"data", {{"k", "v"}}}, {"metadata", {{"version", 3}}}};
  // A KV read as served: the version's text beside its metadata.
  json served_metadata = {{"metadata", {{"version", 3}, {"deletion_time", ""}}}};
  std::string served_text = [this] {
    json data = write_data["data"];
    data.erase("bad");  // stored data is valid UTF-8
    std::string text;
    AppendCompactJson(&text, data);
    return text;
  }();
  std::vector<std::string> warnings = {"careful", "quote \" and caf\xc3\xa9"};
  std::vector<std::string> no_warnings;
};

const Documents& Docs() {
  static const Documents docs;
  return docs;
}

EntryPair Base() {
  EntryPair pair;
  pair.auth = std::make_shared<const json>(json{{"client_token", "hvs.tok"},
                                                {"accessor", "acc"},
                                                {"display_name", "approle"},
                                                {"policies", {"default"}},
                                                {"metadata", nullptr},
                                                {"token_ttl", 3599}});
  pair.request.id = "0f7d9a4e-1111-2222-3333-444455556666";
  pair.request.operation = "update";
  pair.request.mount_type = "kv";
  pair.request.mount_accessor = "kv_1a2b3c4d";
  pair.request.client_token = "hvs.tok";
  pair.request.client_token_accessor = "acc";
  pair.request.path = "secret/data/app/db";
  pair.request.remote_address = "10.0.0.7";
  pair.request_time = "2026-11-23T12:00:00.123456789Z";
  pair.response_time = "2026-11-23T12:00:00.223456789Z";
  return pair;
}

// Pairs covering every member the writer writes and every way it can
// differ from the document path.
std::vector<EntryPair> Pairs() {
  const Documents& d = Docs();
  std::vector<EntryPair> pairs;

  EntryPair write = Base();  // a KV write
  write.request.data = &d.write_data;
  write.request.wrap_ttl = 60;
  write.response.emplace();
  write.response->mount_type = "kv";
  write.response->mount_accessor = "kv_1a2b3c4d";
  write.response->data = &d.read_data;
  pairs.push_back(write);

  EntryPair served = write;  // a KV read: data given as encoded text
  served.response->data = &d.served_metadata;
  served.response->data_member_name = "data";
  served.response->data_member_json = d.served_text;
  pairs.push_back(served);
  pairs.push_back(served);  // hashed again: from the device's HashedMemberCache

  EntryPair shared = write;  // derived once, then from the device's cache
  shared.auth_shared = true;
  pairs.push_back(shared);
  pairs.push_back(shared);

  EntryPair login = Base();  // a login: no token yet, an auth block back
  login.auth = std::make_shared<const json>(
      json{{"client_token", ""}, {"token_type", "service"}});
  login.request.client_token = "";
  login.request.client_token_accessor = "";
  login.request.path = "auth/approle/login";
  login.request.data = &d.scalar_data;
  login.response.emplace();
  login.response->mount_type = "approle";
  login.response->mount_accessor = "auth_approle_1";
  login.response->auth = &d.login_auth;
  login.response->warnings = &d.warnings;
  pairs.push_back(login);

  EntryPair wrapped = Base();  // a wrapped, leased response
  wrapped.request.wrap_ttl = -1;
  wrapped.request.client_token_accessor = "hvs.tok";  // same value as the token
  wrapped.response.emplace();
  wrapped.response->lease_id = "database/creds/app/abc\"1";
  wrapped.response->wrap_info = &d.wrap_info;
  wrapped.response->warnings = &d.no_warnings;
  wrapped.response->data = &d.null_doc;
  pairs.push_back(wrapped);

  EntryPair odd = Base();  // members that are not what HashEntry hashes
  odd.auth = std::make_shared<const json>(d.odd_auth);
  odd.request.id = "quote\" and \\ and caf\xc3\xa9 and \x01";
  odd.request.path = "secret/data/caf\xc3\xa9";
  odd.request.operation = "list";
  odd.response.emplace();
  odd.response->auth = &d.null_doc;
  odd.response->wrap_info = &d.odd_wrap;
  pairs.push_back(odd);

  EntryPair unauthenticated = Base();  // no auth member at all
  unauthenticated.auth = nullptr;
  unauthenticated.request_error = "permission denied";
  unauthenticated.response_error = "permission denied \"\n\xff";
  pairs.push_back(unauthenticated);

  EntryPair failed = write;  // the engine failed: an error, no response
  failed.response.reset();
  failed.response_error = "internal error";
  pairs.push_back(failed);
  return pairs;
}

TEST(AuditEntryWriter, PreparedPairsAreTheDocumentPathsBytesForEveryOption) {
  const std::string dir = TempDir();
  int n = 0;
  for (const std::map<std::string, std::string>& options :
       {std::map<std::string, std::string>{},
        {{"log_raw", "true"}},
        {{"hmac_accessor", "false"}},
        {{"log_raw", "true"}, {"hmac_accessor", "false"}},
        {{"prefix", "coffer: "}},
        {{"format", "jsonx"}},
        {{"format", "jsonx"}, {"hmac_accessor", "false"}}}) {
    auto device = OpenFile(dir + "/audit" + std::to_string(n++) + ".log", true, options);
    ASSERT_TRUE(device.ok()) << device.status().ToString();
    int p = 0;
    for (const EntryPair& pair : Pairs()) {
      SCOPED_TRACE("pair " + std::to_string(p++));
      ExpectPreparedAsEntriesApart(**device, pair);
    }
  }
}

TEST(AuditEntryWriter, NoTokenOrSecretIsWrittenInTheClear) {
  const std::string dir = TempDir();
  auto device = OpenFile(dir + "/audit.log", true);
  ASSERT_TRUE(device.ok()) << device.status().ToString();
  for (const EntryPair& pair : Pairs()) {
    for (const std::string& line : (*device)->PreparePair(pair)) {
      for (const char* secret : {"\"hvs.tok\"", "\"acc\"", "\"pw\"", "\"hvs.new\"", "\"acc.new\"",
                                 "\"hvs.wrap\"", "\"wacc\"", "\"wwacc\"", "a bare string"}) {
        EXPECT_EQ(line.find(secret), std::string::npos) << secret << " in " << line;
      }
    }
  }
}

}  // namespace
}  // namespace coffer::audit
