#include "cli/audit_commands.h"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "audit/verify.h"
#include "cli/client_command.h"
#include "cli/command_util.h"
#include "cli/output.h"
#include "cli/flags.h"
#include "cli/secret_output.h"

namespace coffer::cli {

namespace {

using nlohmann::json;

constexpr const char* kAuditUsage =
    "Usage: coffer audit <subcommand> [options] [args]\n\n"
    "    enable    Enable an audit device: coffer audit enable file file_path=/var/log/a.log\n"
    "    disable   Disable an audit device\n"
    "    list      List the enabled audit devices\n"
    "    verify    Check the hash chain of audit log files\n";

constexpr const char* kVerifyUsage =
    "Usage: coffer audit verify [options] FILE...\n\n"
    "  Checks the hash chain of one audit device's log files, given in order\n"
    "  (rotated files first, the live file last), and names the first line\n"
    "  that was edited, removed or reordered. Needs no server.\n\n"
    "  Exit status: 0 when the chain is intact, 1 when it is broken, 2 for a\n"
    "  usage error or a file that cannot be read.\n";

const std::vector<FlagSpec>& VerifyFlags() {
  static const std::vector<FlagSpec> kFlags = WithClientFlags({
      {"allow-new-chain", true,
       "Accept a genesis line after the first line (a server that started on an empty file)."},
      {"check-checkpoints", true,
       "Ask the server (VAULT_ADDR, VAULT_TOKEN with sudo) whether each checkpoint's HMAC is "
       "genuine."},
  });
  return kFlags;
}

bool IsHelp(const std::string& arg) { return arg == "-h" || arg == "-help" || arg == "--help"; }

int VerifyUsageError(const std::string& message) {
  std::fprintf(stderr, "%s\n\n%s\n%s", message.c_str(), kVerifyUsage,
               Usage(VerifyFlags()).c_str());
  return kExitUsage;
}

json ReportJson(const audit::VerifyReport& report, size_t files) {
  json checkpoints = json::array();
  for (const auto& cp : report.checkpoints) {
    checkpoints.push_back({{"file", cp.file},
                           {"line", cp.line},
                           {"seq", cp.link.seq},
                           {"prev", cp.link.prev},
                           {"hmac", cp.hmac}});
  }
  json out = {{"ok", report.ok},
              {"entries", report.entries},
              {"files", files},
              {"chains", report.chains},
              {"checkpoints", checkpoints}};
  if (!report.ok) {
    out["file"] = report.file;
    out["line"] = report.line;
    out["problem"] = report.problem;
  }
  return out;
}

// CheckCheckpoints asks the server to check each checkpoint's HMAC (the
// key never leaves it); the first forged one fails the report.
Status CheckCheckpoints(const ParsedFlags& flags, audit::VerifyReport* report) {
  COFFER_ASSIGN_OR_RETURN(std::unique_ptr<api::Client> client, MakeClient(flags));
  for (const auto& cp : report->checkpoints) {
    json body = {{"seq", cp.link.seq}, {"prev", cp.link.prev}, {"hmac", cp.hmac}};
    COFFER_ASSIGN_OR_RETURN(api::Response answer,
                            Call(*client, "PUT", "sys/audit-checkpoint", body));
    const json& valid = answer.body["data"]["valid"];
    if (!valid.is_boolean()) {
      return Status::Internal("unexpected answer from sys/audit-checkpoint");
    }
    if (!valid.get<bool>()) {
      report->ok = false;
      report->file = cp.file;
      report->line = cp.line;
      report->problem = "line " + std::to_string(cp.line) +
                        " is a forged checkpoint: its HMAC is not this server's (the log was "
                        "rewritten up to here)";
      return Status::Ok();
    }
  }
  return Status::Ok();
}

int RunVerify(const std::vector<std::string>& args) {
  if (!args.empty() && IsHelp(args[0])) {
    std::printf("%s\n%s", kVerifyUsage, Usage(VerifyFlags()).c_str());
    return kExitOk;
  }
  auto flags = ParseFlags(args, VerifyFlags());
  if (!flags.ok()) {
    return VerifyUsageError(flags.status().message());
  }
  if (flags->args.empty()) {
    return VerifyUsageError("Not enough arguments (expected at least 1, got 0)");
  }
  if (!CheckFormat(*flags)) {
    return kExitUsage;
  }
  const std::vector<std::string>& files = flags->args;
  audit::VerifyOptions options;
  options.allow_new_chains = flags->GetBool("allow-new-chain");
  auto report = audit::VerifyFiles(files, options);
  if (!report.ok()) {
    std::fprintf(stderr, "Error verifying audit log: %s\n", report.status().message().c_str());
    return kExitUsage;
  }
  if (report->ok && flags->GetBool("check-checkpoints")) {
    Status checked = CheckCheckpoints(*flags, &*report);
    if (!checked.ok()) {
      return PrintError("checking checkpoints", checked);
    }
  }
  if (OutputFormat(*flags) == "json") {
    std::printf("%s\n", ReportJson(*report, files.size())
                            .dump(2, ' ', false, json::error_handler_t::replace)
                            .c_str());
  } else if (report->ok) {
    std::printf("OK: %llu entries in %zu file(s), %llu chain(s), %zu checkpoint(s)%s\n",
                static_cast<unsigned long long>(report->entries), files.size(),
                static_cast<unsigned long long>(report->chains), report->checkpoints.size(),
                flags->GetBool("check-checkpoints") ? " (HMACs checked)" : "");
  } else {
    std::printf("FAILED: %s:%llu: %s\n", report->file.c_str(),
                static_cast<unsigned long long>(report->line), report->problem.c_str());
  }
  return report->ok ? kExitOk : kExitError;
}

int RunEnable(const std::vector<std::string>& args) {
  const CommandSpec spec{
      "Usage: coffer audit enable [options] TYPE [key=value...]\n\n"
      "  Enables an audit device of TYPE (file, syslog, socket) at -path (default:\n"
      "  TYPE) with the given options, e.g. file_path=/var/log/coffer/audit.log.\n",
      {{"path", false, "Where to enable the device (default: its type)."},
       {"description", false, "A human-friendly description."},
       {"local", true, "Do not replicate the device."}},
      1,
      SIZE_MAX};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  const std::string type = SanitizePath(inv.args()[0]);
  json options = json::object();
  for (size_t i = 1; i < inv.args().size(); ++i) {
    const std::string& kv = inv.args()[i];
    const size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      return UsageError("invalid option \"" + kv + "\": expected key=value", spec);
    }
    options[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  const std::string path = SanitizePath(inv.flags.Get("path", type));
  json body = {{"type", type},
               {"description", inv.flags.Get("description", "")},
               {"local", inv.flags.GetBool("local")},
               {"options", options}};
  auto r = Send(*inv.client, "PUT", "sys/audit/" + EscapePath(path), body);
  if (!r.ok()) {
    return PrintError("enabling audit device", r.status());
  }
  std::printf("Success! Enabled the %s audit device at: %s/\n", type.c_str(), path.c_str());
  return kExitOk;
}

int RunDisable(const std::vector<std::string>& args) {
  const CommandSpec spec{"Usage: coffer audit disable [options] PATH\n", {}, 1, 1};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  const std::string path = SanitizePath(inv.args()[0]);
  auto r = Send(*inv.client, "DELETE", "sys/audit/" + EscapePath(path));
  if (!r.ok()) {
    return PrintError("disabling audit device", r.status());
  }
  std::printf("Success! Disabled audit device (if it was enabled) at: %s/\n", path.c_str());
  return kExitOk;
}

int RunList(const std::vector<std::string>& args) {
  const CommandSpec spec{"Usage: coffer audit list [options]\n",
                         {{"detailed", true, "Show the options of each device."}},
                         0,
                         0};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  auto r = Send(*inv.client, "GET", "sys/audit");
  if (!r.ok()) {
    return PrintError("listing audit devices", r.status());
  }
  const json& devices = r->body.contains("data") ? r->body["data"] : r->body;
  if (OutputFormat(inv.flags) == "json") {
    std::printf("%s\n", devices.dump(2, ' ', false, json::error_handler_t::replace).c_str());
    return kExitOk;
  }
  if (!devices.is_object() || devices.empty()) {
    std::printf("No audit devices are enabled.\n");
    return kExitOk;
  }
  const bool detailed = inv.flags.GetBool("detailed");
  std::vector<std::vector<std::string>> rows = {{"Path", "Type", "Description"}};
  if (detailed) {
    rows[0].push_back("Options");
  }
  for (auto it = devices.begin(); it != devices.end(); ++it) {
    std::vector<std::string> row = {it.key(), it->value("type", ""), it->value("description", "")};
    if (detailed) {
      std::string options;
      for (auto o = (*it)["options"].begin(); o != (*it)["options"].end(); ++o) {
        options += (options.empty() ? "" : " ") + o.key() + "=" + FormatValue(*o);
      }
      row.push_back(options);
    }
    rows.push_back(std::move(row));
  }
  std::printf("%s", FormatColumns(rows).c_str());
  return kExitOk;
}

}  // namespace

int RunAudit(const std::vector<std::string>& args) {
  if (args.empty() || IsHelp(args[0])) {
    std::fprintf(args.empty() ? stderr : stdout, "%s", kAuditUsage);
    return args.empty() ? kExitUsage : kExitOk;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "verify") {
    return RunVerify(rest);
  }
  if (args[0] == "enable") {
    return RunEnable(rest);
  }
  if (args[0] == "disable") {
    return RunDisable(rest);
  }
  if (args[0] == "list") {
    return RunList(rest);
  }
  std::fprintf(stderr, "Unknown audit subcommand \"%s\"\n\n%s", args[0].c_str(), kAuditUsage);
  return kExitUsage;
}

}  // namespace coffer::cli
