// ErrorMessages and ErrorFromResponse (declared in client.h).
#include <algorithm>

#include "api/client.h"

namespace coffer::api {

namespace {

Code CodeForStatus(int status, const std::vector<std::string>& messages) {
  switch (status) {
    case 400:
      return Code::kInvalidArgument;
    case 403:
      return Code::kPermissionDenied;
    case 404:
      return Code::kNotFound;
    case 405:
      return Code::kUnsupported;
    case 413:
      return Code::kTooLarge;
    case 429:
      return Code::kStandby;
    case 501:
      return Code::kNotInitialized;
    case 503: {
      // Vault answers 503 both when sealed and when a dependency is down.
      bool sealed = std::any_of(messages.begin(), messages.end(), [](const std::string& m) {
        return m.find("sealed") != std::string::npos;
      });
      return sealed ? Code::kSealed : Code::kUnavailable;
    }
    default:
      return status >= 400 && status < 500 ? Code::kInvalidArgument : Code::kInternal;
  }
}

Status MakeStatus(Code code, std::string message) {
  switch (code) {
    case Code::kInvalidArgument:
      return Status::InvalidArgument(std::move(message));
    case Code::kPermissionDenied:
      return Status::PermissionDenied(std::move(message));
    case Code::kNotFound:
      return Status::NotFound(std::move(message));
    case Code::kUnsupported:
      return Status::Unsupported(std::move(message));
    case Code::kTooLarge:
      return Status::TooLarge(std::move(message));
    case Code::kStandby:
      return Status::Standby(std::move(message));
    case Code::kNotInitialized:
      return Status::NotInitialized(std::move(message));
    case Code::kSealed:
      return Status::Sealed(std::move(message));
    case Code::kUnavailable:
      return Status::Unavailable(std::move(message));
    default:
      return Status::Internal(std::move(message));
  }
}

}  // namespace

std::vector<std::string> ErrorMessages(const Response& response) {
  std::vector<std::string> out;
  if (!response.body.is_object()) {
    return out;
  }
  auto errors = response.body.find("errors");
  if (errors == response.body.end() || !errors->is_array()) {
    return out;
  }
  for (const nlohmann::json& e : *errors) {
    out.push_back(e.is_string() ? e.get<std::string>() : e.dump());
  }
  return out;
}

Status ErrorFromResponse(const Response& response) {
  if (response.status < 400) {
    return Status::Ok();
  }
  std::vector<std::string> messages = ErrorMessages(response);
  std::string text = "Error making API request.\n\nURL: " + response.method + " " + response.url +
                     "\nCode: " + std::to_string(response.status) + ".";
  if (!messages.empty()) {
    text += " Errors:\n";
    for (const std::string& m : messages) {
      text += "\n* " + m;
    }
  } else if (!response.raw_body.empty()) {
    constexpr size_t kMaxRawBody = 512;
    text += " Raw Message:\n\n" + response.raw_body.substr(0, kMaxRawBody);
  }
  return MakeStatus(CodeForStatus(response.status, messages), std::move(text));
}

}  // namespace coffer::api
