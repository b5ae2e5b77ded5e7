#include "cli/kv_args.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

namespace coffer::cli {

namespace {

using nlohmann::json;

// MergeJsonObject parses `text` as a JSON object and sets its keys in `out`.
Status MergeJsonObject(const std::string& text, json* out) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return Status::InvalidArgument("not valid JSON");
  }
  if (!doc.is_object()) {
    return Status::InvalidArgument("JSON data must be an object");
  }
  for (auto& [k, v] : doc.items()) {
    (*out)[k] = v;
  }
  return Status::Ok();
}

class Builder {
 public:
  explicit Builder(std::istream& in) : stdin_(in) {}

  Status Add(const std::string& raw) {
    if (raw.empty()) {
      return Status::Ok();
    }
    const size_t eq = raw.find('=');
    if (eq == std::string::npos) {
      if (raw == "-") {
        COFFER_ASSIGN_OR_RETURN(std::string text, TakeStdin());
        return MergeJsonObject(text, &result_);
      }
      if (raw[0] == '@') {
        COFFER_ASSIGN_OR_RETURN(std::string text, ReadFile(raw.substr(1)));
        return MergeJsonObject(text, &result_);
      }
      return Status::InvalidArgument("format must be key=value");
    }
    const std::string key = raw.substr(0, eq);
    std::string value = raw.substr(eq + 1);
    if (!value.empty() && value[0] == '@') {
      COFFER_ASSIGN_OR_RETURN(value, ReadFile(value.substr(1)));
    } else if (value.size() >= 2 && value[0] == '\\' && value[1] == '@') {
      value = value.substr(1);
    } else if (value == "-") {
      COFFER_ASSIGN_OR_RETURN(value, TakeStdin());
    }
    if (result_.contains(key)) {
      // A repeated key becomes a list of its values, as vault's does.
      json& existing = result_[key];
      if (!existing.is_array()) {
        existing = json::array({existing});
      }
      existing.push_back(value);
      return Status::Ok();
    }
    result_[key] = value;
    return Status::Ok();
  }

  json result() const { return result_; }

 private:
  Result<std::string> TakeStdin() {
    if (stdin_used_) {
      return Status::InvalidArgument("stdin already consumed");
    }
    stdin_used_ = true;
    return ReadAll(stdin_);
  }

  std::istream& stdin_;
  bool stdin_used_ = false;
  json result_ = json::object();
};

}  // namespace

std::string ReadAll(std::istream& in) {
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::IOError("error reading file: open " + path + ": " + std::strerror(errno));
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    return Status::IOError("error reading file: " + path);
  }
  return text;
}

Result<nlohmann::json> ParseArgsData(const std::vector<std::string>& args,
                                     std::istream& stdin_stream) {
  Builder builder(stdin_stream);
  for (const auto& a : args) {
    Status st = builder.Add(a);
    if (!st.ok()) {
      return Status::InvalidArgument("Invalid key/value pair '" + a + "': " + st.message());
    }
  }
  return builder.result();
}

}  // namespace coffer::cli
