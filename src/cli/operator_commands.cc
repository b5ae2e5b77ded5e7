#include "cli/operator_commands.h"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "cli/client_command.h"

namespace coffer::cli {

namespace {

using nlohmann::json;

int Usage(const char* text) {
  std::fprintf(stderr, "%s", text);
  return kExitUsage;
}

Rows SealStatusRows(const json& s) {
  Rows rows = {
      {"Seal Type", FormatValue(s.value("type", json()))},
      {"Initialized", FormatValue(s.value("initialized", json()))},
      {"Sealed", FormatValue(s.value("sealed", json()))},
      {"Total Shares", FormatValue(s.value("n", json()))},
      {"Threshold", FormatValue(s.value("t", json()))},
  };
  if (s.value("sealed", true)) {
    rows.push_back({"Unseal Progress", FormatValue(s.value("progress", json())) + "/" +
                                           FormatValue(s.value("t", json()))});
    const std::string nonce = s.value("nonce", "");
    rows.push_back({"Unseal Nonce", nonce.empty() ? "n/a" : nonce});
  }
  rows.push_back({"Version", FormatValue(s.value("version", json()))});
  rows.push_back({"Storage Type", FormatValue(s.value("storage_type", json()))});
  if (s.contains("cluster_name")) {
    rows.push_back({"Cluster Name", FormatValue(s["cluster_name"])});
    rows.push_back({"Cluster ID", FormatValue(s["cluster_id"])});
  }
  rows.push_back({"HA Enabled", "false"});
  return rows;
}

int RunInit(const std::vector<std::string>& args) {
  const auto specs = WithClientFlags({
      {"key-shares", false, "Number of key shares to split the unseal key into (default 5)."},
      {"key-threshold", false, "Number of shares required to unseal (default 3)."},
      {"status", true, "Only report whether the server is initialized (exit 0 yes, 2 no)."},
  });
  auto flags = ParseFlags(args, specs);
  if (!flags.ok()) {
    return Usage((flags.status().message() + "\n\nUsage: coffer operator init [options]\n" +
                  coffer::cli::Usage(specs)).c_str());
  }
  auto client = MakeClient(*flags);
  if (!client.ok()) {
    return PrintError("creating the API client", client.status());
  }
  if (flags->GetBool("status")) {
    auto r = Call(**client, "GET", "sys/init");
    if (!r.ok()) {
      return PrintError("checking initialization status", r.status());
    }
    if (r->body.value("initialized", false)) {
      std::printf("Vault is initialized\n");
      return kExitOk;
    }
    std::printf("Vault is not initialized\n");
    return kExitUsage;
  }
  int shares = 0;
  int threshold = 0;
  try {
    shares = std::stoi(flags->Get("key-shares", "5"));
    threshold = std::stoi(flags->Get("key-threshold", "3"));
  } catch (const std::exception&) {
    return Usage("-key-shares and -key-threshold must be integers\n");
  }
  auto r = Call(**client, "PUT", "sys/init",
                json{{"secret_shares", shares}, {"secret_threshold", threshold}});
  if (!r.ok()) {
    return PrintError("initializing", r.status());
  }
  const json& body = r->body;
  if (flags->Get("format") == "json") {
    json out = {{"unseal_keys_b64", body["keys_base64"]},
                {"unseal_keys_hex", body["keys"]},
                {"unseal_shares", shares},
                {"unseal_threshold", threshold},
                {"recovery_keys_b64", json::array()},
                {"recovery_keys_hex", json::array()},
                {"recovery_keys_shares", 0},
                {"recovery_keys_threshold", 0},
                {"root_token", body["root_token"]}};
    std::printf("%s\n", out.dump(2).c_str());
    return kExitOk;
  }
  size_t i = 1;
  for (const auto& key : body["keys_base64"]) {
    std::printf("Unseal Key %zu: %s\n", i++, key.get<std::string>().c_str());
  }
  std::printf(
      "\nInitial Root Token: %s\n\n"
      "Vault initialized with %d key shares and a key threshold of %d. Please securely\n"
      "distribute the key shares printed above. When the server is re-sealed,\n"
      "restarted, or stopped, you must supply at least %d of these keys to unseal it\n"
      "before it can start servicing requests.\n",
      body["root_token"].get<std::string>().c_str(), shares, threshold, threshold);
  return kExitOk;
}

// ReadHidden reads one line from the terminal without echo, or from stdin
// when it is not a terminal (scripts pipe keys in).
std::string ReadHidden(const char* prompt) {
  const bool tty = isatty(STDIN_FILENO) != 0;
  termios old{};
  if (tty) {
    std::fprintf(stderr, "%s", prompt);
    tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::fprintf(stderr, "\n");
  }
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
    line.pop_back();
  }
  return line;
}

int RunUnseal(const std::vector<std::string>& args) {
  const auto specs = WithClientFlags({
      {"reset", true, "Discard the key shares given so far."},
  });
  auto flags = ParseFlags(args, specs);
  if (!flags.ok() || flags->args.size() > 1) {
    return Usage(((flags.ok() ? std::string("too many arguments") : flags.status().message()) +
                  "\n\nUsage: coffer operator unseal [options] [KEY]\n" +
                  coffer::cli::Usage(specs)).c_str());
  }
  auto client = MakeClient(*flags);
  if (!client.ok()) {
    return PrintError("creating the API client", client.status());
  }
  json body;
  if (flags->GetBool("reset")) {
    body = {{"reset", true}};
  } else {
    std::string key = flags->args.empty() ? ReadHidden("Unseal Key (will be hidden): ")
                                          : flags->args[0];
    if (key.empty()) {
      return Usage("An unseal key is required\n");
    }
    body = {{"key", key}};
  }
  auto r = Call(**client, "PUT", "sys/unseal", body);
  if (!r.ok()) {
    return PrintError("unsealing", r.status());
  }
  return Print(*flags, SealStatusRows(r->body), r->body);
}

int RunSeal(const std::vector<std::string>& args) {
  const auto specs = ClientFlags();
  auto flags = ParseFlags(args, specs);
  if (!flags.ok()) {
    return Usage((flags.status().message() + "\n\nUsage: coffer operator seal [options]\n" +
                  coffer::cli::Usage(specs)).c_str());
  }
  auto client = MakeClient(*flags);
  if (!client.ok()) {
    return PrintError("creating the API client", client.status());
  }
  auto r = Call(**client, "PUT", "sys/seal");
  if (!r.ok()) {
    return PrintError("sealing", r.status());
  }
  std::printf("Success! Vault is sealed.\n");
  return kExitOk;
}

}  // namespace

int RunOperator(const std::vector<std::string>& args) {
  const char* usage =
      "Usage: coffer operator <subcommand> [options]\n\n"
      "    init      Initialize a server: generate the unseal key shares and root token\n"
      "    unseal    Provide one unseal key share\n"
      "    seal      Seal the server (needs a root token)\n";
  if (args.empty()) {
    return Usage(usage);
  }
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "init") {
    return RunInit(rest);
  }
  if (args[0] == "unseal") {
    return RunUnseal(rest);
  }
  if (args[0] == "seal") {
    return RunSeal(rest);
  }
  return Usage(usage);
}

int RunStatus(const std::vector<std::string>& args) {
  const auto specs = ClientFlags();
  auto flags = ParseFlags(args, specs);
  if (!flags.ok()) {
    return Usage((flags.status().message() + "\n\nUsage: coffer status [options]\n" +
                  coffer::cli::Usage(specs)).c_str());
  }
  auto client = MakeClient(*flags);
  if (!client.ok()) {
    return PrintError("creating the API client", client.status());
  }
  auto r = Call(**client, "GET", "sys/seal-status");
  if (!r.ok()) {
    return PrintError("checking seal status", r.status());
  }
  int rc = Print(*flags, SealStatusRows(r->body), r->body);
  if (rc != kExitOk) {
    return rc;
  }
  // As vault: exit 2 while sealed, so scripts can test it.
  return r->body.value("sealed", true) ? kExitUsage : kExitOk;
}

}  // namespace coffer::cli
