// Parsers for the config's labelled stanzas, `storage "<type>" { ... }` and
// `listener "tcp" { ... }`. Internal to config/; errors are InvalidArgument
// "<file>:<line>: ..." naming the key.
#pragma once

#include <string_view>

#include "base/status.h"
#include "config/server_config.h"
#include "hcl/ast.h"

namespace coffer::config::internal {

// ParseStorage reads a storage block. Backend parameters are kept as text
// and not checked here: each storage backend validates its own.
Result<StorageConfig> ParseStorage(const hcl::Block& block, std::string_view filename);

// ParseListener reads and validates a listener block.
Result<ListenerConfig> ParseListener(const hcl::Block& block, std::string_view filename);

}  // namespace coffer::config::internal
