// What the vault-style client commands (token, policy, secrets, kv, read,
// write, ...) share beyond client_command.h: parsing flags and checking the
// argument count with vault's messages, sending a request whose non-2xx
// answer becomes a Status, reading with vault's "404 means no value" rule,
// and the -wrap-ttl header.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/client.h"
#include "base/status.h"
#include "cli/client_command.h"
#include "cli/flags.h"

namespace coffer::cli {

// CommandSpec describes one verb: its usage text (printed on a usage
// error), its own flags (the client flags are added), and how many
// positional arguments it takes. max_args SIZE_MAX means "any".
struct CommandSpec {
  std::string usage;
  std::vector<FlagSpec> flags;
  size_t min_args = 0;
  size_t max_args = 0;
};

// Invocation is a parsed command line with a client ready to use.
struct Invocation {
  ParsedFlags flags;
  std::unique_ptr<api::Client> client;
  const std::vector<std::string>& args() const { return flags.args; }
};

// Begin parses `args` against `spec`, checks the argument count and the
// output format, and creates the client. It returns true and fills `out`
// when the command should run; otherwise it has printed the usage (for
// -help) or why not, and returns false with the exit code in *exit_code.
bool Begin(const std::vector<std::string>& args, const CommandSpec& spec, Invocation* out,
           int* exit_code);

// UsageError prints `message` and the usage text and returns kExitUsage.
int UsageError(const std::string& message, const CommandSpec& spec);

// SanitizePath trims whitespace and then leading and trailing slashes.
std::string SanitizePath(const std::string& path);

// EscapePath percent-encodes a path for the request target, keeping '/'.
std::string EscapePath(const std::string& path);

// EnsureTrailingSlash appends '/' unless `path` is empty or ends in one.
std::string EnsureTrailingSlash(const std::string& path);

// ListPath is `path` with the trailing slash of a folder, which LIST
// requests carry (Vault adds it itself when it is missing).
std::string ListPath(const std::string& path);

// Send sends a request; a non-2xx answer becomes a Status with vault's
// error text (api::ErrorFromResponse).
Result<api::Response> Send(api::Client& client, const std::string& method,
                           const std::string& path,
                           const std::optional<nlohmann::json>& body = std::nullopt,
                           const api::Headers& headers = {});

// ReadSecret sends a GET or LIST as vault's Logical().Read does: a 404
// whose body carries no data and no warnings is "no value" (nullopt), as is
// an empty 2xx body; other failures are errors.
Result<std::optional<nlohmann::json>> ReadSecret(api::Client& client, const std::string& method,
                                                 const std::string& path,
                                                 const api::Headers& headers = {});

// WriteSecret sends a write (PUT, POST, PATCH, DELETE) as vault's
// Logical().Write does: an empty answer (204) is nullopt, and a 404 that
// carries data or warnings is returned as a response.
Result<std::optional<nlohmann::json>> WriteSecret(api::Client& client, const std::string& method,
                                                  const std::string& path,
                                                  const std::optional<nlohmann::json>& body,
                                                  const api::Headers& headers = {});

// WrapFlag is the -wrap-ttl flag.
FlagSpec WrapFlag();

// WrapHeaders returns the X-Vault-Wrap-TTL header (in seconds) when
// -wrap-ttl is set; InvalidArgument for a malformed duration.
Result<api::Headers> WrapHeaders(const ParsedFlags& flags);

// IncrementFlags are the -increment flag of the renew verbs and its short
// form -i; AddIncrement puts the given one (in seconds) into `body`, and
// fails with InvalidArgument for a malformed duration.
std::vector<FlagSpec> IncrementFlags();
Status AddIncrement(const ParsedFlags& flags, nlohmann::json* body);

// DurationFlag returns the flag's value in seconds, nullopt when it is not
// set; InvalidArgument "invalid duration for -<name>: ..." otherwise.
Result<std::optional<int64_t>> DurationFlag(const ParsedFlags& flags, const std::string& name);

// IntFlag returns the flag's integer value, nullopt when it is not set.
Result<std::optional<int64_t>> IntFlag(const ParsedFlags& flags, const std::string& name);

// SplitCommaList splits every value of a repeatable flag on commas, as
// vault's slice flags do ("-policy=a,b -policy=c" is a, b, c), dropping
// empty items and surrounding spaces.
std::vector<std::string> SplitCommaList(const std::vector<std::string>& values);

}  // namespace coffer::cli
