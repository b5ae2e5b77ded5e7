// Registers "database-fake": the database engine with FakeDatabase behind
// its plugin, for the unit tests.
#include "database/fake_database.h"

namespace coffer::engines::database::testing {

namespace {

Result<std::unique_ptr<core::Engine>> NewFakeDatabaseBackend(const core::EngineConfig& config) {
  return NewDatabaseBackend(config, &OpenFakePlugin);
}

}  // namespace

COFFER_REGISTER_ENGINE("database-fake", &NewFakeDatabaseBackend);

}  // namespace coffer::engines::database::testing
