#include "cli/lease_commands.h"

#include <cstdio>

#include "cli/command_util.h"
#include "cli/secret_output.h"

namespace coffer::cli {

namespace {

using nlohmann::json;

constexpr const char* kLeaseUsage =
    "Usage: coffer lease <subcommand> [options] [args]\n\n"
    "    lookup    Print a lease's properties\n"
    "    renew     Extend a lease\n"
    "    revoke    Revoke a lease, or every lease under a prefix\n";

int RunLookup(const std::vector<std::string>& args) {
  const CommandSpec spec{"Usage: coffer lease lookup [options] LEASE_ID\n", {}, 1, 1};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  auto r = Send(*inv.client, "PUT", "sys/leases/lookup", json{{"lease_id", inv.args()[0]}});
  if (!r.ok()) {
    return PrintError("looking up lease", r.status());
  }
  return PrintSecret(inv.flags, r->body);
}

int RunRenew(const std::vector<std::string>& args) {
  const CommandSpec spec{
      "Usage: coffer lease renew [options] LEASE_ID\n\n"
      "  Extends a lease; the server caps the increment at the lease's max TTL.\n",
      IncrementFlags(),
      1,
      1};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  json body = {{"lease_id", inv.args()[0]}};
  if (Status added = AddIncrement(inv.flags, &body); !added.ok()) {
    return UsageError(added.message(), spec);
  }
  auto r = Send(*inv.client, "PUT", "sys/leases/renew", body);
  if (!r.ok()) {
    return PrintError("renewing lease", r.status());
  }
  return PrintSecret(inv.flags, r->body);
}

int RunRevoke(const std::vector<std::string>& args) {
  const CommandSpec spec{
      "Usage: coffer lease revoke [options] ID\n\n"
      "  Revokes the lease ID; with -prefix, every lease under ID. -force\n"
      "  (with -prefix) removes leases even when their engine cannot revoke\n"
      "  them: what they granted is left in place.\n",
      {{"prefix", true, "Treat ID as a prefix."},
       {"force", true, "With -prefix: remove leases whose revocation fails."},
       {"f", true, "Short for -force."}},
      1,
      1};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  const bool prefix = inv.flags.GetBool("prefix");
  const bool force = inv.flags.GetBool("force") || inv.flags.GetBool("f");
  if (force && !prefix) {
    return UsageError("-force requires -prefix", spec);
  }
  const std::string id = inv.args()[0];
  Result<api::Response> r = Status::Internal("unset");
  if (prefix) {
    r = Send(*inv.client, "PUT",
             std::string(force ? "sys/leases/revoke-force/" : "sys/leases/revoke-prefix/") +
                 EscapePath(SanitizePath(id)));
  } else {
    r = Send(*inv.client, "PUT", "sys/leases/revoke", json{{"lease_id", id}});
  }
  if (!r.ok()) {
    return PrintError("revoking lease", r.status());
  }
  if (prefix) {
    std::printf("Success! Revoked %sany leases with prefix: %s\n", force ? "(forced) " : "",
                id.c_str());
  } else {
    std::printf("Success! Revoked lease: %s\n", id.c_str());
  }
  return kExitOk;
}

}  // namespace

int RunLease(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
    std::fputs(kLeaseUsage, args.empty() ? stderr : stdout);
    return args.empty() ? kExitUsage : kExitOk;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "lookup") {
    return RunLookup(rest);
  }
  if (args[0] == "renew") {
    return RunRenew(rest);
  }
  if (args[0] == "revoke") {
    return RunRevoke(rest);
  }
  std::fprintf(stderr, "Unknown lease subcommand \"%s\"\n\n%s", args[0].c_str(), kLeaseUsage);
  return kExitUsage;
}

}  // namespace coffer::cli
