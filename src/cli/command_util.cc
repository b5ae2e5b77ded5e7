#include "cli/command_util.h"

#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstdio>

#include "cli/secret_output.h"
#include "config/server_config.h"

namespace coffer::cli {

namespace {

using nlohmann::json;

bool HasDataOrWarnings(const json& body) {
  if (!body.is_object()) {
    return false;
  }
  const bool data = body.contains("data") && body["data"].is_object() && !body["data"].empty();
  const bool warnings =
      body.contains("warnings") && body["warnings"].is_array() && !body["warnings"].empty();
  return data || warnings;
}

bool EmptyBody(const api::Response& r) {
  return r.status == 204 || r.body.is_null();
}

bool IsHelp(const std::string& a) { return a == "-h" || a == "-help" || a == "--help"; }

}  // namespace

int UsageError(const std::string& message, const CommandSpec& spec) {
  std::fprintf(stderr, "%s\n\n%s\n%s", message.c_str(), spec.usage.c_str(),
               coffer::cli::Usage(WithClientFlags(spec.flags)).c_str());
  return kExitUsage;
}

bool Begin(const std::vector<std::string>& args, const CommandSpec& spec, Invocation* out,
           int* exit_code) {
  if (!args.empty() && IsHelp(args[0])) {
    std::printf("%s\n%s", spec.usage.c_str(),
                coffer::cli::Usage(WithClientFlags(spec.flags)).c_str());
    *exit_code = kExitOk;
    return false;
  }
  auto flags = ParseFlags(args, WithClientFlags(spec.flags));
  if (!flags.ok()) {
    *exit_code = UsageError(flags.status().message(), spec);
    return false;
  }
  const size_t n = flags->args.size();
  if (n < spec.min_args) {
    *exit_code = UsageError("Not enough arguments (expected " + std::to_string(spec.min_args) +
                                ", got " + std::to_string(n) + ")",
                            spec);
    return false;
  }
  if (n > spec.max_args) {
    *exit_code = UsageError("Too many arguments (expected " + std::to_string(spec.max_args) +
                                ", got " + std::to_string(n) + ")",
                            spec);
    return false;
  }
  if (!CheckFormat(*flags)) {
    *exit_code = kExitUsage;
    return false;
  }
  auto client = MakeClient(*flags);
  if (!client.ok()) {
    *exit_code = PrintError("creating the API client", client.status());
    return false;
  }
  out->flags = std::move(*flags);
  out->client = std::move(*client);
  return true;
}

std::string SanitizePath(const std::string& path) {
  size_t b = 0;
  size_t e = path.size();
  while (b < e && std::isspace(static_cast<unsigned char>(path[b])) != 0) {
    ++b;
  }
  while (e > b && std::isspace(static_cast<unsigned char>(path[e - 1])) != 0) {
    --e;
  }
  while (b < e && path[b] == '/') {
    ++b;
  }
  while (e > b && path[e - 1] == '/') {
    --e;
  }
  return path.substr(b, e - b);
}

std::string EscapePath(const std::string& path) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~' || c == '/' ||
        c == '@' || c == ':' || c == '+' || c == '=' || c == ',') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string EnsureTrailingSlash(const std::string& path) {
  if (path.empty() || path.back() == '/') {
    return path;
  }
  return path + "/";
}

std::string ListPath(const std::string& path) { return EnsureTrailingSlash(path); }

Result<api::Response> Send(api::Client& client, const std::string& method,
                           const std::string& path, const std::optional<json>& body,
                           const api::Headers& headers) {
  COFFER_ASSIGN_OR_RETURN(api::Response response, client.Request(method, path, body, headers));
  COFFER_RETURN_IF_ERROR(api::ErrorFromResponse(response));
  return response;
}

Result<std::optional<json>> ReadSecret(api::Client& client, const std::string& method,
                                       const std::string& path, const api::Headers& headers) {
  COFFER_ASSIGN_OR_RETURN(api::Response response,
                          client.Request(method, path, std::nullopt, headers));
  if (response.status == 404) {
    if (HasDataOrWarnings(response.body)) {
      return std::optional<json>(response.body);
    }
    return std::optional<json>();
  }
  COFFER_RETURN_IF_ERROR(api::ErrorFromResponse(response));
  if (EmptyBody(response)) {
    return std::optional<json>();
  }
  return std::optional<json>(response.body);
}

Result<std::optional<json>> WriteSecret(api::Client& client, const std::string& method,
                                        const std::string& path, const std::optional<json>& body,
                                        const api::Headers& headers) {
  COFFER_ASSIGN_OR_RETURN(api::Response response, client.Request(method, path, body, headers));
  if (response.status == 404 && HasDataOrWarnings(response.body)) {
    return std::optional<json>(response.body);
  }
  COFFER_RETURN_IF_ERROR(api::ErrorFromResponse(response));
  if (EmptyBody(response)) {
    return std::optional<json>();
  }
  return std::optional<json>(response.body);
}

FlagSpec WrapFlag() {
  return {"wrap-ttl", false,
          "Wrap the response in a cubbyhole token valid for this duration (X-Vault-Wrap-TTL)."};
}

Result<api::Headers> WrapHeaders(const ParsedFlags& flags) {
  COFFER_ASSIGN_OR_RETURN(std::optional<int64_t> ttl, DurationFlag(flags, "wrap-ttl"));
  if (!ttl || *ttl == 0) {
    return api::Headers{};
  }
  return api::Headers{{"X-Vault-Wrap-TTL", std::to_string(*ttl)}};
}

std::vector<FlagSpec> IncrementFlags() {
  return {{"increment", false, "Ask for this TTL from now, e.g. 1h (the server may cap it)."},
          {"i", false, "Short for -increment."}};
}

Status AddIncrement(const ParsedFlags& flags, nlohmann::json* body) {
  COFFER_ASSIGN_OR_RETURN(std::optional<int64_t> increment,
                          DurationFlag(flags, flags.Has("i") ? "i" : "increment"));
  if (increment) {
    (*body)["increment"] = *increment;
  }
  return Status::Ok();
}

Result<std::optional<int64_t>> DurationFlag(const ParsedFlags& flags, const std::string& name) {
  if (!flags.Has(name)) {
    return std::optional<int64_t>();
  }
  auto seconds = config::ParseDurationSeconds(flags.Get(name));
  if (!seconds.ok()) {
    return Status::InvalidArgument("invalid duration \"" + flags.Get(name) + "\" for -" + name);
  }
  return std::optional<int64_t>(*seconds);
}

Result<std::optional<int64_t>> IntFlag(const ParsedFlags& flags, const std::string& name) {
  if (!flags.Has(name)) {
    return std::optional<int64_t>();
  }
  const std::string text = flags.Get(name);
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return Status::InvalidArgument("invalid value \"" + text + "\" for -" + name +
                                   ": not an integer");
  }
  return std::optional<int64_t>(value);
}

std::vector<std::string> SplitCommaList(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) {
    size_t start = 0;
    while (start <= v.size()) {
      size_t comma = v.find(',', start);
      if (comma == std::string::npos) {
        comma = v.size();
      }
      std::string item = v.substr(start, comma - start);
      size_t b = item.find_first_not_of(" \t");
      size_t e = item.find_last_not_of(" \t");
      if (b != std::string::npos) {
        out.push_back(item.substr(b, e - b + 1));
      }
      start = comma + 1;
    }
  }
  return out;
}

}  // namespace coffer::cli
