// StoredReader reads the typed members of a JSON object AppRole stored,
// checking each type first, so damaged storage is a Corruption status and
// never an exception. Absent members read as the zero value; a member of the
// wrong type marks the object corrupt, so one status() check at the end
// covers every read.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace coffer::auth::approle {

class StoredReader {
 public:
  // `what` names the item in the Corruption message; `object` must outlive
  // the reader.
  StoredReader(const nlohmann::json& object, std::string what)
      : object_(object), what_(std::move(what)) {
    if (!object_.is_object()) {
      status_ = Status::Corruption(what_ + " is not a JSON object");
    }
  }

  std::string String(const char* name) {
    const nlohmann::json* v = Member(name);
    if (v == nullptr) {
      return "";
    }
    if (!v->is_string()) {
      Fail(name);
      return "";
    }
    return v->get<std::string>();
  }

  int64_t Int(const char* name) {
    const nlohmann::json* v = Member(name);
    if (v == nullptr) {
      return 0;
    }
    if (!v->is_number_integer()) {
      Fail(name);
      return 0;
    }
    return v->get<int64_t>();
  }

  bool Bool(const char* name, bool absent = false) {
    const nlohmann::json* v = Member(name);
    if (v == nullptr) {
      return absent;
    }
    if (!v->is_boolean()) {
      Fail(name);
      return absent;
    }
    return v->get<bool>();
  }

  std::vector<std::string> Strings(const char* name) {
    std::vector<std::string> out;
    const nlohmann::json* v = Member(name);
    if (v == nullptr) {
      return out;
    }
    if (!v->is_array()) {
      Fail(name);
      return out;
    }
    for (const nlohmann::json& e : *v) {
      if (!e.is_string()) {
        Fail(name);
        return {};
      }
      out.push_back(e.get<std::string>());
    }
    return out;
  }

  std::map<std::string, std::string> StringMap(const char* name) {
    std::map<std::string, std::string> out;
    const nlohmann::json* v = Member(name);
    if (v == nullptr) {
      return out;
    }
    if (!v->is_object()) {
      Fail(name);
      return out;
    }
    for (const auto& [key, value] : v->items()) {
      if (!value.is_string()) {
        Fail(name);
        return {};
      }
      out[key] = value.get<std::string>();
    }
    return out;
  }

  // Raw returns the member as stored, null when absent.
  nlohmann::json Raw(const char* name) {
    const nlohmann::json* v = Member(name);
    return v == nullptr ? nlohmann::json() : *v;
  }

  Status status() const { return status_; }

 private:
  const nlohmann::json* Member(const char* name) {
    if (!object_.is_object()) {
      return nullptr;
    }
    auto it = object_.find(name);
    if (it == object_.end() || it->is_null()) {
      return nullptr;
    }
    return &*it;
  }

  void Fail(const char* name) {
    if (status_.ok()) {
      status_ = Status::Corruption(what_ + ": member \"" + name + "\" has the wrong type");
    }
  }

  const nlohmann::json& object_;
  std::string what_;
  Status status_;
};

}  // namespace coffer::auth::approle
