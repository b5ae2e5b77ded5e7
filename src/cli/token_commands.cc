#include "cli/token_commands.h"

#include <algorithm>
#include <cstdio>

#include "cli/command_util.h"
#include "cli/secret_output.h"

namespace coffer::cli {

namespace {

using nlohmann::json;

constexpr const char* kTokenUsage =
    "Usage: coffer token <subcommand> [options] [args]\n\n"
    "    create          Create a token (a child of the current one)\n"
    "    lookup          Print a token's properties (default: the current token)\n"
    "    renew           Extend a token's TTL\n"
    "    revoke          Revoke a token and, by default, its children\n"
    "    capabilities    Print a token's capabilities on a path\n";

std::vector<FlagSpec> CreateFlags() {
  return {
      {"policy", false, "A policy of the new token; repeatable or comma-separated.", true},
      {"metadata", false, "A key=value to attach to the token; repeatable.", true},
      {"ttl", false, "Initial TTL, e.g. 30m or 24h."},
      {"explicit-max-ttl", false, "A hard limit the token cannot be renewed past."},
      {"period", false, "Make a periodic token, renewable forever by this period."},
      {"num-uses", false, "Revoke the token after this many uses (0: unlimited)."},
      {"use-limit", false, "Same as -num-uses."},
      {"renewable", true, "Whether the token may be renewed (default true)."},
      {"orphan", true, "Create the token with no parent (needs root or sudo)."},
      {"no-default-policy", true, "Do not add the \"default\" policy."},
      {"display-name", false, "A name shown in the token's lookup and audit log."},
      {"id", false, "The token value itself (root only)."},
      {"role", false, "Create the token from this token role."},
      {"type", false, "service (default) or batch."},
      WrapFlag(),
  };
}

int RunCreate(const std::vector<std::string>& args) {
  const CommandSpec spec{"Usage: coffer token create [options]\n", CreateFlags(), 0, 0};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  auto body = TokenCreateBody(inv.flags);
  if (!body.ok()) {
    return UsageError(body.status().message(), spec);
  }
  auto headers = WrapHeaders(inv.flags);
  if (!headers.ok()) {
    return UsageError(headers.status().message(), spec);
  }
  const std::string role = inv.flags.Get("role");
  const std::string path =
      role.empty() ? "auth/token/create" : "auth/token/create/" + EscapePath(role);
  auto created = Send(*inv.client, "POST", path, *body, *headers);
  if (!created.ok()) {
    return PrintError("creating token", created.status());
  }
  return PrintSecret(inv.flags, created->body);
}

int RunLookup(const std::vector<std::string>& args) {
  const CommandSpec spec{
      "Usage: coffer token lookup [options] [TOKEN | ACCESSOR]\n\n"
      "  Prints a token's properties; without TOKEN, those of the current token.\n",
      {{"accessor", true, "The argument is the token's accessor, not the token."}},
      0,
      1};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  const bool accessor = inv.flags.GetBool("accessor");
  if (accessor && inv.args().empty()) {
    return UsageError("Not enough arguments with -accessor (expected 1, got 0)", spec);
  }
  Result<api::Response> r = Status::Internal("unset");
  if (inv.args().empty()) {
    r = Send(*inv.client, "GET", "auth/token/lookup-self");
  } else if (accessor) {
    r = Send(*inv.client, "POST", "auth/token/lookup-accessor",
             json{{"accessor", inv.args()[0]}});
  } else {
    r = Send(*inv.client, "POST", "auth/token/lookup", json{{"token", inv.args()[0]}});
  }
  if (!r.ok()) {
    return PrintError("looking up token", r.status());
  }
  return PrintSecret(inv.flags, r->body);
}

int RunRenew(const std::vector<std::string>& args) {
  std::vector<FlagSpec> flags = IncrementFlags();
  flags.push_back({"accessor", true, "The argument is the token's accessor, not the token."});
  const CommandSpec spec{
      "Usage: coffer token renew [options] [TOKEN]\n\n"
      "  Renews a token's lease; without TOKEN, the current token's.\n",
      std::move(flags),
      0,
      1};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  json body = json::object();
  if (Status added = AddIncrement(inv.flags, &body); !added.ok()) {
    return UsageError(added.message(), spec);
  }
  std::string path = "auth/token/renew-self";
  if (!inv.args().empty()) {
    const bool accessor = inv.flags.GetBool("accessor");
    path = accessor ? "auth/token/renew-accessor" : "auth/token/renew";
    body[accessor ? "accessor" : "token"] = inv.args()[0];
  }
  auto r = Send(*inv.client, "PUT", path, body);
  if (!r.ok()) {
    return PrintError("renewing token", r.status());
  }
  return PrintSecret(inv.flags, r->body);
}

int RunRevoke(const std::vector<std::string>& args) {
  const CommandSpec spec{
      "Usage: coffer token revoke [options] [TOKEN | ACCESSOR]\n\n"
      "  Revokes a token and its children. -mode=orphan keeps the children;\n"
      "  -mode=path revokes every token created under the given path prefix.\n",
      {{"self", true, "Revoke the current token."},
       {"accessor", true, "The argument is the token's accessor, not the token."},
       {"mode", false, "\"\" (token and children), orphan, or path."}},
      0,
      1};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  const bool self = inv.flags.GetBool("self");
  const bool accessor = inv.flags.GetBool("accessor");
  const std::string mode = inv.flags.Get("mode");
  if (self && !inv.args().empty()) {
    return UsageError("Too many arguments with -self (expected 0, got " +
                          std::to_string(inv.args().size()) + ")",
                      spec);
  }
  if (!self && inv.args().empty()) {
    return UsageError("Not enough arguments (expected 1, got 0)", spec);
  }
  if (mode != "" && mode != "orphan" && mode != "path") {
    return UsageError("Invalid mode: " + mode, spec);
  }
  if (self && accessor) {
    return UsageError("Cannot use -self with -accessor", spec);
  }
  if (accessor && mode == "path") {
    return UsageError("Cannot use -accessor with -mode=path", spec);
  }
  Result<api::Response> r = Status::Internal("unset");
  if (self) {
    r = Send(*inv.client, "PUT", "auth/token/revoke-self");
  } else if (accessor) {
    r = Send(*inv.client, "PUT", "auth/token/revoke-accessor",
             json{{"accessor", inv.args()[0]}});
  } else if (mode == "orphan") {
    r = Send(*inv.client, "PUT", "auth/token/revoke-orphan", json{{"token", inv.args()[0]}});
  } else if (mode == "path") {
    r = Send(*inv.client, "PUT",
             "sys/leases/revoke-prefix/" + EscapePath(SanitizePath(inv.args()[0])));
  } else {
    r = Send(*inv.client, "PUT", "auth/token/revoke", json{{"token", inv.args()[0]}});
  }
  if (!r.ok()) {
    return PrintError("revoking token", r.status());
  }
  std::printf("Success! Revoked token (if it existed)\n");
  return kExitOk;
}

int RunCapabilities(const std::vector<std::string>& args) {
  const CommandSpec spec{
      "Usage: coffer token capabilities [options] [TOKEN | ACCESSOR] PATH\n\n"
      "  Prints the capabilities a token has on PATH; without TOKEN, the\n"
      "  current token's.\n",
      {{"accessor", true, "The token argument is an accessor."}},
      1,
      2};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  const bool accessor = inv.flags.GetBool("accessor");
  if (accessor && inv.args().size() != 2) {
    return UsageError("-accessor needs ACCESSOR and PATH", spec);
  }
  const std::string path = inv.args().back();
  json body = {{"paths", json::array({path})}};
  std::string endpoint = "sys/capabilities-self";
  if (inv.args().size() == 2) {
    endpoint = accessor ? "sys/capabilities-accessor" : "sys/capabilities";
    body[accessor ? "accessor" : "token"] = inv.args()[0];
  }
  auto r = Send(*inv.client, "POST", endpoint, body);
  if (!r.ok()) {
    return PrintError("listing capabilities", r.status());
  }
  // Vault answers with the path's list and, for old clients, "capabilities",
  // both in data and at the top level.
  const json& b = r->body;
  json caps;
  for (const json* scope : {b.is_object() && b.contains("data") ? &b["data"] : nullptr, &b}) {
    if (scope == nullptr || !scope->is_object() || !caps.is_null()) {
      continue;
    }
    if (scope->contains(path) && (*scope)[path].is_array()) {
      caps = (*scope)[path];
    } else if (scope->contains("capabilities") && (*scope)["capabilities"].is_array()) {
      caps = (*scope)["capabilities"];
    }
  }
  if (caps.is_null()) {
    caps = json::array();
  }
  if (OutputFormat(inv.flags) == "json") {
    std::printf("%s\n", caps.dump(2, ' ', false, json::error_handler_t::replace).c_str());
    return kExitOk;
  }
  std::vector<std::string> names;
  for (const auto& c : caps) {
    names.push_back(GoValue(c));
  }
  std::sort(names.begin(), names.end());
  std::string line;
  for (const auto& n : names) {
    line += (line.empty() ? "" : ", ") + n;
  }
  std::printf("%s\n", line.c_str());
  return kExitOk;
}

}  // namespace

Result<json> TokenCreateBody(const ParsedFlags& flags) {
  json body = json::object();
  const auto policies = SplitCommaList(flags.GetAll("policy"));
  if (!policies.empty()) {
    body["policies"] = policies;
  }
  const auto meta = flags.GetAll("metadata");
  if (!meta.empty()) {
    json m = json::object();
    for (const auto& kv : meta) {
      const size_t eq = kv.find('=');
      if (eq == std::string::npos) {
        return Status::InvalidArgument("invalid key/value pair \"" + kv + "\" for -metadata");
      }
      m[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    body["meta"] = std::move(m);
  }
  for (const char* name : {"ttl", "explicit-max-ttl", "period"}) {
    COFFER_ASSIGN_OR_RETURN(std::optional<int64_t> seconds, DurationFlag(flags, name));
    if (seconds && *seconds > 0) {
      std::string key = name;
      std::replace(key.begin(), key.end(), '-', '_');
      body[key] = std::to_string(*seconds) + "s";
    }
  }
  COFFER_ASSIGN_OR_RETURN(std::optional<int64_t> uses,
                          IntFlag(flags, flags.Has("use-limit") ? "use-limit" : "num-uses"));
  if (uses) {
    if (*uses < 0) {
      return Status::InvalidArgument("-num-uses must not be negative");
    }
    body["num_uses"] = *uses;
  }
  body["renewable"] = !flags.Has("renewable") || flags.GetBool("renewable");
  if (flags.GetBool("orphan")) {
    body["no_parent"] = true;
  }
  if (flags.GetBool("no-default-policy")) {
    body["no_default_policy"] = true;
  }
  for (const auto& [flag, key] : {std::pair{"display-name", "display_name"},
                                   std::pair{"id", "id"}, std::pair{"type", "type"}}) {
    if (flags.Has(flag)) {
      body[key] = flags.Get(flag);
    }
  }
  if (flags.Get("type") == "batch") {
    // Batch tokens cannot be renewed; vault's CLI drops the default.
    body["renewable"] = false;
  }
  return body;
}

int RunToken(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
    std::fprintf(args.empty() ? stderr : stdout, "%s", kTokenUsage);
    return args.empty() ? kExitUsage : kExitOk;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "create") {
    return RunCreate(rest);
  }
  if (args[0] == "lookup") {
    return RunLookup(rest);
  }
  if (args[0] == "renew") {
    return RunRenew(rest);
  }
  if (args[0] == "revoke") {
    return RunRevoke(rest);
  }
  if (args[0] == "capabilities") {
    return RunCapabilities(rest);
  }
  std::fprintf(stderr, "Unknown token subcommand \"%s\"\n\n%s", args[0].c_str(), kTokenUsage);
  return kExitUsage;
}

}  // namespace coffer::cli
