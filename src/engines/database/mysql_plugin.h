// MysqlPlugin: database::Plugin for MariaDB and MySQL over libmariadb
// ("mysql-database-plugin"). See plugin.h for the contract.
//
// Statements of one call run between START TRANSACTION and COMMIT, but
// MySQL commits implicitly around DDL (CREATE USER, GRANT, DROP USER, ...),
// so a failure rolls back only the non-DDL statements that followed the
// last DDL one. That is the database's behaviour and Vault's as well.
#pragma once

#include <memory>

#include "base/status.h"
#include "engines/database/plugin.h"

namespace coffer::engines::database {

// OpenMysqlPlugin validates `config` (the DSN parses, limits are sane)
// without connecting. InvalidArgument naming the problem, never containing
// the configured password.
Result<std::unique_ptr<Plugin>> OpenMysqlPlugin(const ConnectionConfig& config);

}  // namespace coffer::engines::database
