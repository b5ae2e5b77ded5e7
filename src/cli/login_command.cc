#include "cli/login_command.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "cli/command_util.h"
#include "cli/kv_args.h"
#include "cli/secret_output.h"

namespace coffer::cli {

namespace {

using nlohmann::json;

std::string TrimSpace(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) {
    return "";
  }
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// PromptToken reads the token without echo from a terminal, or one line
// from stdin when it is not one (scripts pipe the token in).
std::string PromptToken() {
  const bool tty = isatty(STDIN_FILENO) != 0;
  termios old{};
  if (tty) {
    std::fprintf(stderr, "Token (will be hidden): ");
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
  return TrimSpace(line);
}

json Member(const json& object, const char* key) {
  return object.is_object() && object.contains(key) ? object[key] : json(nullptr);
}

}  // namespace

json LoginSecret(const std::string& token, const json& lookup) {
  const json data = Member(lookup, "data");
  json policies = Member(data, "policies");
  if (!policies.is_array()) {
    policies = json::array();
  }
  json identity = Member(data, "identity_policies");
  if (!identity.is_array()) {
    identity = json::array();
  }
  json all = policies;
  for (const auto& p : identity) {
    if (std::find(all.begin(), all.end(), p) == all.end()) {
      all.push_back(p);
    }
  }
  const json ttl = Member(data, "ttl");
  const json renewable = Member(data, "renewable");
  json auth = {
      {"client_token", token},
      {"accessor", Member(data, "accessor").is_string() ? Member(data, "accessor") : json("")},
      {"lease_duration", ttl.is_number_integer() ? ttl : json(0)},
      {"renewable", renewable.is_boolean() ? renewable : json(false)},
      {"token_policies", policies},
      {"identity_policies", identity},
      {"policies", all},
  };
  if (Member(data, "meta").is_object()) {
    auth["metadata"] = data["meta"];
  }
  json secret = {{"request_id", Member(lookup, "request_id")},
                 {"lease_id", ""},
                 {"lease_duration", 0},
                 {"renewable", false},
                 {"data", nullptr},
                 {"warnings", nullptr},
                 {"auth", std::move(auth)}};
  return secret;
}

Status StoreToken(const std::string& path, const std::string& token) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status::IOError("open " + path + ": " + std::strerror(errno));
  }
  // An existing file keeps its mode through O_CREAT; the token must not be
  // readable by others whatever it was.
  Status result;
  if (::fchmod(fd, 0600) != 0) {
    result = Status::IOError("chmod " + path + ": " + std::strerror(errno));
  }
  size_t done = 0;
  while (result.ok() && done < token.size()) {
    const ssize_t n = ::write(fd, token.data() + done, token.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      result = Status::IOError("write " + path + ": " + std::strerror(errno));
      break;
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0 && result.ok()) {
    result = Status::IOError("close " + path + ": " + std::strerror(errno));
  }
  return result;
}

int RunLogin(const std::vector<std::string>& args) {
  const CommandSpec spec{
      "Usage: coffer login [options] [TOKEN | -]\n\n"
      "  Authenticates with a token and stores it in ~/.vault-token for later\n"
      "  commands. Without TOKEN it is prompted for (hidden), or read as a line\n"
      "  from stdin; \"-\" reads it from stdin.\n",
      {{"method", false, "The auth method; only \"token\" is supported."},
       {"no-store", true, "Do not store the token in ~/.vault-token."},
       {"no-print", true, "Print nothing on success."}},
      0,
      1};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  const std::string method = inv.flags.Get("method", "token");
  if (method != "token") {
    return UsageError("Unsupported auth method \"" + method + "\": only token is supported",
                      spec);
  }
  std::string token;
  if (inv.args().empty()) {
    token = PromptToken();
  } else if (inv.args()[0] == "-") {
    token = TrimSpace(ReadAll(std::cin));
  } else {
    token = TrimSpace(inv.args()[0]);
  }
  if (token.empty()) {
    return UsageError("A token is required", spec);
  }
  inv.client->SetToken(token);
  auto lookup = Send(*inv.client, "GET", "auth/token/lookup-self");
  if (!lookup.ok()) {
    return PrintError("authenticating", lookup.status().Annotate("error looking up token"));
  }
  if (!inv.flags.GetBool("no-store")) {
    const char* home = std::getenv("HOME");
    if (home == nullptr || *home == '\0') {
      std::fprintf(stderr, "Error storing token: HOME is not set\n");
      return kExitError;
    }
    Status st = StoreToken(std::string(home) + "/.vault-token", token);
    if (!st.ok()) {
      return PrintError("storing token", st);
    }
  }
  if (inv.flags.GetBool("no-print")) {
    return kExitOk;
  }
  const json secret = LoginSecret(token, lookup->body);
  if (inv.flags.Has("field")) {
    return PrintSecret(inv.flags, secret);
  }
  if (std::getenv("VAULT_TOKEN") != nullptr && *std::getenv("VAULT_TOKEN") != '\0') {
    std::fprintf(stderr,
                 "WARNING! The VAULT_TOKEN environment variable is set! The value of this\n"
                 "variable will take precedence; if this is unwanted please unset VAULT_TOKEN\n"
                 "or update its value accordingly.\n\n");
  }
  if (OutputFormat(inv.flags) == "table") {
    if (inv.flags.GetBool("no-store")) {
      std::printf(
          "Success! You are now authenticated. The token information displayed below\n"
          "is NOT stored in the token helper. Set the VAULT_TOKEN environment variable\n"
          "or pass the token below with each request to Vault.\n\n");
    } else {
      std::printf(
          "Success! You are now authenticated. The token information displayed below\n"
          "is already stored in the token helper. You do NOT need to run \"coffer login\"\n"
          "again. Future Vault requests will automatically use this token.\n\n");
    }
  }
  return PrintSecret(inv.flags, secret);
}

}  // namespace coffer::cli
