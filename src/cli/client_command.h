// What every CLI command that talks to a server shares: the client flags
// (-address, -ca-cert, -tls-skip-verify, -format, -field), the VAULT_*
// environment, the token, and printing errors the way vault does.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "api/client.h"
#include "cli/flags.h"
#include "cli/output.h"

namespace coffer::cli {

// Exit codes, as vault's CLI: 0 success, 1 error, 2 usage error or a
// "negative" status answer (sealed, not initialized).
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;

// ClientFlags are accepted by every command that talks to a server.
std::vector<FlagSpec> ClientFlags();

// WithClientFlags returns `specs` followed by ClientFlags().
std::vector<FlagSpec> WithClientFlags(std::vector<FlagSpec> specs);

// MakeClient builds a client from the environment overridden by flags. The
// token comes from VAULT_TOKEN, else the token helper file ~/.vault-token.
Result<std::unique_ptr<api::Client>> MakeClient(const ParsedFlags& flags);

// Call sends a request and turns a non-2xx answer into a Status carrying
// Vault-style error text.
Result<api::Response> Call(api::Client& client, const std::string& method,
                           const std::string& path,
                           const std::optional<nlohmann::json>& body = std::nullopt);

// PrintError writes "Error ...: message" to stderr and returns kExitError.
int PrintError(const std::string& what, const Status& status);

// Print writes `rows` as a table, or `json` when -format=json, or one field
// when -field=NAME (looked up in `json`). Returns an exit code.
int Print(const ParsedFlags& flags, const Rows& rows, const nlohmann::json& json);

}  // namespace coffer::cli
