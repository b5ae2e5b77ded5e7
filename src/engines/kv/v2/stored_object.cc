#include "engines/kv/v2/stored_object.h"

namespace coffer::engines::kv {

StoredObject::StoredObject(const nlohmann::json& object, std::string what)
    : object_(object), what_(std::move(what)) {
  if (!object_.is_object()) {
    status_ = Status::Corruption("stored " + what_ + " is not a JSON object");
  }
}

const nlohmann::json* StoredObject::Member(const char* name) {
  if (!status_.ok()) {
    return nullptr;
  }
  auto it = object_.find(name);
  if (it == object_.end() || it->is_null()) {
    return nullptr;
  }
  return &*it;
}

void StoredObject::Fail(const char* name) {
  if (status_.ok()) {
    status_ = Status::Corruption("stored " + what_ + " has a bad \"" + name + "\"");
  }
}

uint64_t StoredObject::Uint(const char* name) {
  const nlohmann::json* member = Member(name);
  if (member == nullptr) {
    return 0;
  }
  if (!member->is_number_unsigned()) {
    Fail(name);
    return 0;
  }
  return member->get<uint64_t>();
}

int64_t StoredObject::Int(const char* name) {
  return OptionalInt(name).value_or(0);
}

std::optional<int64_t> StoredObject::OptionalInt(const char* name) {
  const nlohmann::json* member = Member(name);
  if (member == nullptr) {
    return std::nullopt;
  }
  if (!member->is_number_integer()) {
    Fail(name);
    return std::nullopt;
  }
  // is_number_integer includes unsigned; values we store fit in int64.
  if (member->is_number_unsigned() &&
      member->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
    Fail(name);
    return std::nullopt;
  }
  return member->get<int64_t>();
}

bool StoredObject::Bool(const char* name) {
  const nlohmann::json* member = Member(name);
  if (member == nullptr) {
    return false;
  }
  if (!member->is_boolean()) {
    Fail(name);
    return false;
  }
  return member->get<bool>();
}

const nlohmann::json* StoredObject::Object(const char* name) {
  const nlohmann::json* member = Member(name);
  if (member != nullptr && !member->is_object()) {
    Fail(name);
    return nullptr;
  }
  return member;
}

}  // namespace coffer::engines::kv
