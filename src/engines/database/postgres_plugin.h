// PostgresPlugin: database::Plugin for PostgreSQL over libpq
// ("postgresql-database-plugin"). See plugin.h for the contract.
#pragma once

#include <memory>

#include "base/status.h"
#include "engines/database/plugin.h"

namespace coffer::engines::database {

// OpenPostgresPlugin validates `config` (connection_url parses, limits are
// sane) without connecting. InvalidArgument naming the problem; the error
// never contains the configured password.
Result<std::unique_ptr<Plugin>> OpenPostgresPlugin(const ConnectionConfig& config);

}  // namespace coffer::engines::database
