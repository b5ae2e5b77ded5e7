// The coffer command: the server and the client commands share one binary,
// as vault's do.
#include <cstdio>
#include <string>
#include <vector>

#include "cli/operator_commands.h"
#include "cli/server_command.h"
#include "core/core.h"

namespace {

constexpr const char* kUsage =
    "Usage: coffer <command> [args]\n\n"
    "Common commands:\n"
    "    server      Start a coffer server\n"
    "    status      Print the seal status\n"
    "    operator    Operator tasks: init, unseal, seal\n"
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
  if (command == "version" || command == "-version" || command == "--version") {
    std::printf("coffer v%s\n", std::string(coffer::core::kVersion).c_str());
    return 0;
  }
  std::fprintf(stderr, "Unknown command \"%s\"\n\n%s", command.c_str(), kUsage);
  return 2;
}
