// DatabaseEngineTest: the "database-fake" engine over the EngineHarness,
// with helpers to configure a connection and to call the engine with the
// mount's lease TTLs, its periodic function and its secret handlers.
#pragma once

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "database/fake_database.h"
#include "engines/engine_harness.h"

namespace coffer::engines::database::testing {

using coffer::engines::testing::CodeOf;
using coffer::engines::testing::EngineHarness;
using core::Operation;
using nlohmann::json;

class DatabaseEngineTest : public ::testing::Test {
 protected:
  DatabaseEngineTest() : harness_("database-fake") { Fake().Reset(); }

  // Configure writes config/<name> for the fake database's root user.
  void Configure(const std::string& name = "pg", json extra = json::object(),
                 const std::string& plugin = "postgresql-database-plugin") {
    json body = {{"plugin_name", plugin},
                 {"connection_url", "postgresql://{{username}}:{{password}}@db/postgres"},
                 {"username", "admin"},
                 {"password", "rootpw"},
                 {"allowed_roles", "*"}};
    for (auto& [key, value] : extra.items()) {
      body[key] = value;
    }
    harness_.MustCall(Operation::kUpdate, "config/" + name, body);
  }

  void CreateRole(const std::string& name = "readonly", json extra = json::object()) {
    json body = {{"db_name", "pg"},
                 {"creation_statements", "CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD "
                                         "'{{password}}' VALID UNTIL '{{expiration}}';"}};
    for (auto& [key, value] : extra.items()) {
      body[key] = value;
    }
    harness_.MustCall(Operation::kUpdate, "roles/" + name, body);
  }

  // Context is what the core hands engines outside a request.
  core::EngineRequest Context(int64_t default_ttl = 0, int64_t max_ttl = 0) {
    core::EngineRequest request;
    request.storage = &harness_.storage();
    request.mount_point = "database/";
    request.clock = &harness_.clock();
    request.default_lease_ttl = default_ttl;
    request.max_lease_ttl = max_ttl;
    return request;
  }

  // CallWithTtls is a request from a mount tuned with these lease TTLs.
  Result<core::Response> CallWithTtls(Operation op, const std::string& path, int64_t default_ttl,
                                      int64_t max_ttl) {
    core::EngineRequest request = Context(default_ttl, max_ttl);
    request.operation = op;
    request.path = path;
    return harness_.engine().Handle(request);
  }

  void Tick() { harness_.engine().Periodic(Context()); }

  EngineHarness harness_;
};

}  // namespace coffer::engines::database::testing
