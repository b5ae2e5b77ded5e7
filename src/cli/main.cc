// The coffer command: the server and the client commands share one binary,
// as vault's do.
#include <cstdio>
#include <string>
#include <vector>

#include "cli/audit_commands.h"
#include "cli/generic_commands.h"
#include "cli/kv_commands.h"
#include "cli/lease_commands.h"
#include "cli/login_command.h"
#include "cli/operator_commands.h"
#include "cli/policy_commands.h"
#include "cli/secrets_commands.h"
#include "cli/server_command.h"
#include "cli/token_commands.h"
#include "core/core.h"

namespace {

constexpr const char* kUsage =
    "Usage: coffer <command> [args]\n\n"
    "Common commands:\n"
    "    server      Start a coffer server\n"
    "    status      Print the seal status\n"
    "    operator    Operator tasks: init, unseal, seal\n"
    "    login       Authenticate with a token and store it\n"
    "    token       Create, look up, renew and revoke tokens\n"
    "    lease       Look up, renew and revoke leases\n"
    "    policy      Write, read, list, delete and format ACL policies\n"
    "    secrets     Enable, disable, list, tune and move secrets engines\n"
    "    kv          Read and write KV secrets (v1 and v2)\n"
    "    read        Read data at a path\n"
    "    write       Write data to a path\n"
    "    list        List the keys at a path\n"
    "    delete      Delete data at a path\n"
    "    unwrap      Unwrap a response-wrapping token\n"
    "    audit       Verify the hash chain of audit log files\n"
    "    version     Print the version\n\n"
    "The client commands read VAULT_ADDR, VAULT_TOKEN, VAULT_CACERT and\n"
    "VAULT_SKIP_VERIFY, as vault's do.\n";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" ||
      args[0] == "help") {
    std::fprintf(args.empty() ? stderr : stdout, "%s", kUsage);
    return args.empty() ? 2 : 0;
  }
  const std::string command = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "server") {
    return coffer::cli::RunServer(rest);
  }
  if (command == "operator") {
    return coffer::cli::RunOperator(rest);
  }
  if (command == "status") {
    return coffer::cli::RunStatus(rest);
  }
  if (command == "login") {
    return coffer::cli::RunLogin(rest);
  }
  if (command == "token") {
    return coffer::cli::RunToken(rest);
  }
  if (command == "lease") {
    return coffer::cli::RunLease(rest);
  }
  if (command == "policy") {
    return coffer::cli::RunPolicy(rest);
  }
  if (command == "secrets") {
    return coffer::cli::RunSecrets(rest);
  }
  if (command == "kv") {
    return coffer::cli::RunKv(rest);
  }
  if (command == "read") {
    return coffer::cli::RunRead(rest);
  }
  if (command == "write") {
    return coffer::cli::RunWrite(rest);
  }
  if (command == "list") {
    return coffer::cli::RunList(rest);
  }
  if (command == "delete") {
    return coffer::cli::RunDelete(rest);
  }
  if (command == "unwrap") {
    return coffer::cli::RunUnwrap(rest);
  }
  if (command == "audit") {
    return coffer::cli::RunAudit(rest);
  }
  if (command == "version" || command == "-version" || command == "--version") {
    std::printf("coffer v%s\n", std::string(coffer::core::kVersion).c_str());
    return 0;
  }
  std::fprintf(stderr, "Unknown command \"%s\"\n\n%s", command.c_str(), kUsage);
  return 2;
}
