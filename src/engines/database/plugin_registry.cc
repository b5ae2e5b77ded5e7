// OpenPlugin: the table of database plugins by name. A new plugin adds one
// row here and its own files; nothing else changes.
#include <string>
#include <string_view>

#include "engines/database/mysql_plugin.h"
#include "engines/database/plugin.h"
#include "engines/database/postgres_plugin.h"

namespace coffer::engines::database {
namespace {

struct Registration {
  std::string_view name;
  Result<std::unique_ptr<Plugin>> (*open)(const ConnectionConfig&);
};

// Vault's MySQL flavours differ only in the user name length the engine
// generates, so they share one implementation.
constexpr Registration kRegistry[] = {
    {kPostgresPlugin, &OpenPostgresPlugin},
    {kMysqlPlugin, &OpenMysqlPlugin},
    {"mysql-aurora-database-plugin", &OpenMysqlPlugin},
    {"mysql-rds-database-plugin", &OpenMysqlPlugin},
    {"mysql-legacy-database-plugin", &OpenMysqlPlugin},
};

}  // namespace

Result<std::unique_ptr<Plugin>> OpenPlugin(const ConnectionConfig& config) {
  for (const Registration& r : kRegistry) {
    if (r.name == config.plugin_name) {
      return r.open(config);
    }
  }
  return Status::InvalidArgument("unsupported plugin_name \"" + config.plugin_name + "\"");
}

}  // namespace coffer::engines::database
