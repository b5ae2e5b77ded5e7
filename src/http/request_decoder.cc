#include "http/request_decoder.h"

#include <cctype>
#include <string_view>

#include "http/url.h"

namespace coffer::http {

namespace {

using core::Operation;

constexpr std::string_view kApiPrefix = "/v1/";

bool IsWriteMethod(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH";
}

// JsonDepthWithin checks bracket nesting outside strings without parsing.
bool JsonDepthWithin(std::string_view text, size_t max_depth) {
  size_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      ++depth;
      if (depth > max_depth) {
        return false;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return true;
}

Result<nlohmann::json> ParseBody(const std::string& body) {
  size_t first = body.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) {
    return nlohmann::json::object();
  }
  if (!JsonDepthWithin(body, kMaxJsonDepth)) {
    return Status::InvalidArgument("failed to parse JSON input: nesting too deep");
  }
  nlohmann::json data;
  try {
    data = nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception& e) {
    return Status::InvalidArgument(std::string("failed to parse JSON input: ") + e.what());
  }
  if (!data.is_object()) {
    return Status::InvalidArgument("failed to parse JSON input: body must be a JSON object");
  }
  return data;
}

// DecodePath takes the part of the target after /v1/ and refuses dot
// segments, so that "a/../b" cannot name a path other than the one an ACL
// rule sees.
Result<std::string> DecodePath(std::string_view raw) {
  std::optional<std::string> path = PercentDecode(raw, false);
  if (!path) {
    return Status::InvalidArgument("invalid request path");
  }
  std::string_view rest = *path;
  while (true) {
    size_t slash = rest.find('/');
    std::string_view segment = rest.substr(0, slash);
    if (segment == "." || segment == "..") {
      return Status::InvalidArgument("invalid request path");
    }
    if (slash == std::string_view::npos) {
      break;
    }
    rest = rest.substr(slash + 1);
  }
  return std::move(*path);
}

std::string TokenFrom(const WireRequest& wire) {
  if (!wire.x_vault_token.empty()) {
    return wire.x_vault_token;
  }
  constexpr std::string_view kBearer = "bearer ";
  std::string_view auth = wire.authorization;
  if (auth.size() <= kBearer.size()) {
    return "";
  }
  for (size_t i = 0; i < kBearer.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(auth[i])) != kBearer[i]) {
      return "";
    }
  }
  std::string_view token = auth.substr(kBearer.size());
  size_t start = token.find_first_not_of(' ');
  if (start == std::string_view::npos) {
    return "";
  }
  return std::string(token.substr(start));
}

Result<Operation> OperationFor(const std::string& method,
                               std::map<std::string, std::string>& query) {
  auto help = query.find("help");
  if (method == "HELP" || (help != query.end() && !help->second.empty())) {
    query.erase("help");
    return Operation::kHelp;
  }
  if (method == "GET" || method == "HEAD") {
    auto list = query.find("list");
    if (list == query.end() || list->second.empty()) {
      return Operation::kRead;
    }
    std::optional<bool> is_list = ParseBool(list->second);
    if (!is_list) {
      return Status::InvalidArgument("invalid value for \"list\" parameter");
    }
    query.erase(list);
    return *is_list ? Operation::kList : Operation::kRead;
  }
  if (method == "LIST") {
    return Operation::kList;
  }
  if (method == "POST" || method == "PUT") {
    return Operation::kUpdate;
  }
  if (method == "PATCH") {
    return Operation::kPatch;
  }
  if (method == "DELETE") {
    return Operation::kDelete;
  }
  return Status::Unsupported("unsupported method " + method);
}

}  // namespace

Result<core::Request> DecodeRequest(const WireRequest& wire) {
  std::string_view target = wire.target;
  size_t question = target.find('?');
  std::string_view raw_path = target.substr(0, question);
  std::string_view raw_query =
      question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
  if (raw_path.substr(0, kApiPrefix.size()) != kApiPrefix) {
    return Status::NotFound("unsupported path");
  }

  core::Request request;
  request.http_method = wire.method;
  COFFER_ASSIGN_OR_RETURN(request.path, DecodePath(raw_path.substr(kApiPrefix.size())));
  std::optional<std::map<std::string, std::string>> query = ParseQuery(raw_query);
  if (!query) {
    return Status::InvalidArgument("invalid query string");
  }
  request.query = std::move(*query);
  COFFER_ASSIGN_OR_RETURN(request.operation, OperationFor(wire.method, request.query));
  if (IsWriteMethod(wire.method) && request.operation != Operation::kHelp) {
    COFFER_ASSIGN_OR_RETURN(request.data, ParseBody(wire.body));
  }
  request.client_token = TokenFrom(wire);
  request.wrap_ttl = wire.x_vault_wrap_ttl;
  request.remote_address = wire.remote_address;
  request.client_cert_pem = wire.client_cert_pem;
  return request;
}

}  // namespace coffer::http
