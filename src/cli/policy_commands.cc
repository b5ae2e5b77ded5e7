#include "cli/policy_commands.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "cli/command_util.h"
#include "cli/hcl_format.h"
#include "cli/kv_args.h"
#include "cli/secret_output.h"
#include "core/policy/policy.h"
#include "hcl/document.h"

namespace coffer::cli {

namespace {

using nlohmann::json;

constexpr const char* kPolicyUsage =
    "Usage: coffer policy <subcommand> [options] [args]\n\n"
    "    write     Upload a policy: NAME FILE (or - for stdin)\n"
    "    read      Print a policy's rules\n"
    "    list      List the policy names\n"
    "    delete    Delete a policy\n"
    "    fmt       Format a policy file in place\n";

// PolicyName is vault's: policy names are case-insensitive and stored in
// lower case.
std::string PolicyName(const std::string& arg) {
  std::string name = SanitizePath(arg);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name;
}

int RunWrite(const std::vector<std::string>& args) {
  const CommandSpec spec{
      "Usage: coffer policy write [options] NAME PATH\n\n"
      "  Uploads the policy in the file PATH (or stdin for \"-\") as NAME,\n"
      "  replacing any policy of that name.\n",
      {},
      2,
      2};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  const std::string name = PolicyName(inv.args()[0]);
  const std::string& source = inv.args()[1];
  std::string rules;
  if (source == "-") {
    rules = ReadAll(std::cin);
  } else {
    auto text = ReadFile(source);
    if (!text.ok()) {
      return PrintError("opening policy file", text.status());
    }
    rules = std::move(*text);
  }
  auto r = Send(*inv.client, "PUT", "sys/policies/acl/" + EscapePath(name),
                json{{"policy", rules}});
  if (!r.ok()) {
    return PrintError("uploading policy", r.status());
  }
  std::printf("Success! Uploaded policy: %s\n", name.c_str());
  return kExitOk;
}

int RunRead(const std::vector<std::string>& args) {
  const CommandSpec spec{"Usage: coffer policy read [options] NAME\n", {}, 1, 1};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  const std::string name = PolicyName(inv.args()[0]);
  auto secret = ReadSecret(*inv.client, "GET", "sys/policies/acl/" + EscapePath(name));
  if (!secret.ok()) {
    return PrintError("reading policy named " + name, secret.status());
  }
  json rules;
  if (secret->has_value()) {
    const json& body = **secret;
    const json* data = body.contains("data") && body["data"].is_object() ? &body["data"] : &body;
    if (data->contains("policy") && (*data)["policy"].is_string()) {
      rules = (*data)["policy"];
    }
  }
  if (!rules.is_string()) {
    std::fprintf(stderr, "No policy named: %s\n", name.c_str());
    return kExitUsage;
  }
  if (inv.flags.Has("field")) {
    return PrintFieldValue(inv.flags, inv.flags.Get("field"),
                           inv.flags.Get("field") == "policy" ? rules : json(nullptr));
  }
  if (OutputFormat(inv.flags) == "json") {
    std::printf("%s\n", json{{"policy", rules}}.dump(2, ' ', false,
                                                    json::error_handler_t::replace).c_str());
    return kExitOk;
  }
  std::string text = rules.get<std::string>();
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
    text.pop_back();
  }
  const size_t start = text.find_first_not_of(" \t\r\n");
  std::printf("%s\n", start == std::string::npos ? "" : text.substr(start).c_str());
  return kExitOk;
}

int RunList(const std::vector<std::string>& args) {
  const CommandSpec spec{"Usage: coffer policy list [options]\n", {}, 0, 0};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  auto r = Send(*inv.client, "LIST", ListPath("sys/policies/acl"));
  if (!r.ok()) {
    return PrintError("listing policies", r.status());
  }
  json keys = json::array();
  const json& body = r->body;
  if (body.is_object() && body.contains("data") && body["data"].is_object() &&
      body["data"].contains("keys") && body["data"]["keys"].is_array()) {
    keys = body["data"]["keys"];
  }
  if (OutputFormat(inv.flags) == "json") {
    std::printf("%s\n", keys.dump(2, ' ', false, json::error_handler_t::replace).c_str());
    return kExitOk;
  }
  for (const auto& k : keys) {
    std::printf("%s\n", GoValue(k).c_str());
  }
  return kExitOk;
}

int RunDelete(const std::vector<std::string>& args) {
  const CommandSpec spec{"Usage: coffer policy delete [options] NAME\n", {}, 1, 1};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  const std::string name = PolicyName(inv.args()[0]);
  auto r = Send(*inv.client, "DELETE", "sys/policies/acl/" + EscapePath(name));
  if (!r.ok()) {
    return PrintError("deleting " + name, r.status());
  }
  std::printf("Success! Deleted policy: %s\n", name.c_str());
  return kExitOk;
}

// RunFmt needs no server: it checks the file is a valid policy, then
// rewrites it in canonical HCL.
int RunFmt(const std::vector<std::string>& args) {
  const CommandSpec spec{
      "Usage: coffer policy fmt PATH\n\n"
      "  Formats the HCL policy in the file PATH in place, after checking it is\n"
      "  a valid policy. Comments are kept.\n",
      {},
      1,
      1};
  if (!args.empty() && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help")) {
    std::printf("%s", spec.usage.c_str());
    return kExitOk;
  }
  auto flags = ParseFlags(args, {});
  if (!flags.ok()) {
    return UsageError(flags.status().message(), spec);
  }
  if (flags->args.size() != 1) {
    return UsageError((flags->args.empty() ? "Not enough" : "Too many") +
                          std::string(" arguments (expected 1, got ") +
                          std::to_string(flags->args.size()) + ")",
                      spec);
  }
  const std::string path = flags->args[0];
  auto text = ReadFile(path);
  if (!text.ok()) {
    return PrintError("opening policy file", text.status());
  }
  if (hcl::LooksLikeJson(*text, path)) {
    std::fprintf(stderr, "Error formatting policy: %s is JSON; only HCL policies are formatted\n",
                 path.c_str());
    return kExitError;
  }
  auto parsed = core::policy::ParsePolicy("fmt", *text);
  if (!parsed.ok()) {
    return PrintError("parsing policy", parsed.status());
  }
  auto formatted = FormatHcl(*text, path);
  if (!formatted.ok()) {
    return PrintError("formatting policy", formatted.status());
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << *formatted;
  out.close();
  if (!out) {
    std::fprintf(stderr, "Error writing policy file %s\n", path.c_str());
    return kExitError;
  }
  std::printf("Success! Formatted policy: %s\n", path.c_str());
  return kExitOk;
}

}  // namespace

int RunPolicy(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
    std::fprintf(args.empty() ? stderr : stdout, "%s", kPolicyUsage);
    return args.empty() ? kExitUsage : kExitOk;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "write") {
    return RunWrite(rest);
  }
  if (args[0] == "read") {
    return RunRead(rest);
  }
  if (args[0] == "list") {
    return RunList(rest);
  }
  if (args[0] == "delete") {
    return RunDelete(rest);
  }
  if (args[0] == "fmt") {
    return RunFmt(rest);
  }
  std::fprintf(stderr, "Unknown policy subcommand \"%s\"\n\n%s", args[0].c_str(), kPolicyUsage);
  return kExitUsage;
}

}  // namespace coffer::cli
