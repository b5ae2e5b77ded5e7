#include "cli/generic_commands.h"

#include <cstdio>
#include <iostream>

#include "cli/command_util.h"
#include "cli/kv_args.h"
#include "cli/secret_output.h"

namespace coffer::cli {

namespace {

using nlohmann::json;

std::string QueryEscape(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string QueryValue(const json& v) {
  return v.is_string() ? v.get<std::string>() : GoValue(v);
}

// ParseData parses the K=V arguments after the path, or reports the usage
// error.
int ParseData(const Invocation& inv, const CommandSpec& spec, json* out) {
  auto data = ParseArgsData({inv.args().begin() + 1, inv.args().end()}, std::cin);
  if (!data.ok()) {
    return UsageError("Failed to parse K=V data: " + data.status().message(), spec);
  }
  *out = std::move(*data);
  return kExitOk;
}

}  // namespace

std::string QueryString(const json& data) {
  std::string out;
  if (!data.is_object()) {
    return out;
  }
  for (const auto& [k, v] : data.items()) {
    const json values = v.is_array() ? v : json::array({v});
    for (const auto& one : values) {
      out += (out.empty() ? "?" : "&") + QueryEscape(k) + "=" + QueryEscape(QueryValue(one));
    }
  }
  return out;
}

int RunRead(const std::vector<std::string>& args) {
  const CommandSpec spec{
      "Usage: coffer read [options] PATH [K=V...]\n\n"
      "  Reads data at PATH; K=V pairs are sent as query parameters.\n",
      {WrapFlag()},
      1,
      SIZE_MAX};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  json data;
  if (int rc = ParseData(inv, spec, &data); rc != kExitOk) {
    return rc;
  }
  auto headers = WrapHeaders(inv.flags);
  if (!headers.ok()) {
    return UsageError(headers.status().message(), spec);
  }
  const std::string path = SanitizePath(inv.args()[0]);
  auto secret = ReadSecret(*inv.client, "GET", EscapePath(path) + QueryString(data), *headers);
  if (!secret.ok()) {
    return PrintError("reading " + path, secret.status());
  }
  if (!secret->has_value()) {
    std::fprintf(stderr, "No value found at %s\n", path.c_str());
    return kExitUsage;
  }
  return PrintSecret(inv.flags, **secret);
}

int RunWrite(const std::vector<std::string>& args) {
  const CommandSpec spec{
      "Usage: coffer write [options] PATH [K=V | K=@file | K=- | @file.json | -]...\n\n"
      "  Writes data to PATH. A value \"@file\" is the file's contents, \"-\" is\n"
      "  stdin; a lone \"-\" or \"@file.json\" merges in a JSON object.\n",
      {{"force", true, "Write even without K=V data."},
       {"f", true, "Short for -force."},
       WrapFlag()},
      1,
      SIZE_MAX};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  if (inv.args().size() == 1 && !inv.flags.GetBool("force") && !inv.flags.GetBool("f")) {
    return UsageError("Must supply data or use -force", spec);
  }
  json data;
  if (int rc = ParseData(inv, spec, &data); rc != kExitOk) {
    return rc;
  }
  auto headers = WrapHeaders(inv.flags);
  if (!headers.ok()) {
    return UsageError(headers.status().message(), spec);
  }
  const std::string path = SanitizePath(inv.args()[0]);
  auto written = WriteSecret(*inv.client, "PUT", EscapePath(path), data, *headers);
  if (!written.ok()) {
    return PrintError("writing data to " + path, written.status());
  }
  if (!written->has_value()) {
    if (OutputFormat(inv.flags) == "table") {
      std::printf("Success! Data written to: %s\n", path.c_str());
    }
    return kExitOk;
  }
  return PrintSecret(inv.flags, **written);
}

int RunList(const std::vector<std::string>& args) {
  const CommandSpec spec{
      "Usage: coffer list [options] PATH\n\n"
      "  Lists the keys at PATH (the LIST verb); folders end in \"/\".\n",
      {},
      1,
      1};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  const std::string path = SanitizePath(inv.args()[0]);
  auto secret = ReadSecret(*inv.client, "LIST", EscapePath(ListPath(path)));
  if (!secret.ok()) {
    return PrintError("listing " + path, secret.status());
  }
  return PrintListResponse(inv.flags, path, *secret);
}

int RunDelete(const std::vector<std::string>& args) {
  const CommandSpec spec{
      "Usage: coffer delete [options] PATH [K=V...]\n\n"
      "  Deletes the data at PATH; K=V pairs are sent as query parameters.\n",
      {},
      1,
      SIZE_MAX};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  json data;
  if (int rc = ParseData(inv, spec, &data); rc != kExitOk) {
    return rc;
  }
  const std::string path = SanitizePath(inv.args()[0]);
  auto deleted =
      WriteSecret(*inv.client, "DELETE", EscapePath(path) + QueryString(data), std::nullopt);
  if (!deleted.ok()) {
    return PrintError("deleting " + path, deleted.status());
  }
  if (!deleted->has_value()) {
    if (OutputFormat(inv.flags) == "table") {
      std::printf("Success! Data deleted (if it existed) at: %s\n", path.c_str());
    }
    return kExitOk;
  }
  return PrintSecret(inv.flags, **deleted);
}

int RunUnwrap(const std::vector<std::string>& args) {
  const CommandSpec spec{
      "Usage: coffer unwrap [options] [TOKEN]\n\n"
      "  Unwraps a response-wrapping token and prints the wrapped response.\n"
      "  Without TOKEN, the current token is the wrapping token.\n",
      {},
      0,
      1};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  std::optional<json> body;
  if (!inv.args().empty()) {
    const std::string token = SanitizePath(inv.args()[0]);
    // As vault's client: with no token of our own, authenticate with the
    // wrapping token itself; otherwise name it in the body.
    if (inv.client->config().token.empty()) {
      inv.client->SetToken(token);
    } else if (token != inv.client->config().token) {
      body = json{{"token", token}};
    }
  }
  auto secret = WriteSecret(*inv.client, "PUT", "sys/wrapping/unwrap", body);
  if (!secret.ok()) {
    return PrintError("unwrapping", secret.status());
  }
  if (!secret->has_value()) {
    if (OutputFormat(inv.flags) == "table") {
      std::printf("Successfully unwrapped. There was no data in the wrapped secret.\n");
    }
    return kExitOk;
  }
  const json& unwrapped = **secret;
  if (!inv.flags.Has("field") && unwrapped.is_object() && unwrapped.contains("data") &&
      unwrapped["data"].is_object() && unwrapped["data"].contains("keys") &&
      unwrapped["data"]["keys"].is_array()) {
    // The wrapped response was a LIST.
    return PrintList(inv.flags, unwrapped);
  }
  return PrintSecret(inv.flags, unwrapped);
}

}  // namespace coffer::cli
