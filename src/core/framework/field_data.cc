#include "core/framework/field_data.h"

#include <cassert>

#include "core/framework/weak_decode.h"

namespace coffer::core::framework {

namespace {

using nlohmann::json;

Status ConversionError(const std::string& name, const json& raw, const Status& why) {
  return Status::InvalidArgument("error converting input '" + DescribeValue(raw) +
                                 "' for field \"" + name + "\": " + why.message());
}

}  // namespace

Result<FieldData> FieldData::Parse(const Fields& schema, const json& data,
                                   const std::map<std::string, std::string>& captures) {
  json raw = json::object();
  if (data.is_object()) {
    raw = data;
  } else if (!data.is_null()) {
    return Status::InvalidArgument("request data must be a JSON object");
  }
  for (const auto& [name, value] : captures) {
    raw[name] = value;
  }

  FieldData fields(schema, std::move(raw));
  for (const auto& [name, field] : schema) {
    auto it = fields.raw_.find(name);
    if (it == fields.raw_.end() || it->is_null()) {
      if (field.required) {
        return Status::InvalidArgument("missing required field \"" + name + "\"");
      }
      continue;
    }
    Result<json> value = ConvertField(field.type, *it);
    if (!value.ok()) {
      return ConversionError(name, *it, value.status());
    }
    fields.values_.emplace(name, std::move(value).value());
  }
  return fields;
}

json FieldData::Get(const std::string& name) const {
  auto schema_it = schema_->find(name);
  if (schema_it == schema_->end()) {
    assert(false && "FieldData: field not in the schema");
    return json();
  }
  const FieldSchema& field = schema_it->second;
  auto it = values_.find(name);
  if (it != values_.end()) {
    return it->second;
  }
  if (!field.default_value.is_null()) {
    Result<json> converted = ConvertField(field.type, field.default_value);
    // A default that does not convert is a bug in the engine's schema.
    assert(converted.ok() && "FieldData: schema default does not convert");
    if (converted.ok()) {
      return std::move(converted).value();
    }
  }
  return ZeroValue(field.type);
}

std::string FieldData::GetString(const std::string& name) const {
  json value = Get(name);
  return value.is_string() ? value.get<std::string>() : std::string();
}

int64_t FieldData::GetInt(const std::string& name) const {
  json value = Get(name);
  return value.is_number_integer() ? value.get<int64_t>() : 0;
}

bool FieldData::GetBool(const std::string& name) const {
  json value = Get(name);
  return value.is_boolean() ? value.get<bool>() : false;
}

int64_t FieldData::GetDuration(const std::string& name) const { return GetInt(name); }

std::vector<std::string> FieldData::GetStrings(const std::string& name) const {
  std::vector<std::string> out;
  json value = Get(name);
  if (!value.is_array()) {
    return out;
  }
  for (const json& element : value) {
    if (element.is_string()) {
      out.push_back(element.get<std::string>());
    }
  }
  return out;
}

std::vector<int64_t> FieldData::GetInts(const std::string& name) const {
  std::vector<int64_t> out;
  json value = Get(name);
  if (!value.is_array()) {
    return out;
  }
  for (const json& element : value) {
    if (element.is_number_integer()) {
      out.push_back(element.get<int64_t>());
    }
  }
  return out;
}

json FieldData::GetMap(const std::string& name) const {
  json value = Get(name);
  if (!value.is_object()) {
    return json::object();
  }
  return value;  // moved out; a conditional expression here would copy it
}

const json* FieldData::FindMap(const std::string& name) const {
  assert(schema_->count(name) != 0 && "FieldData: field not in the schema");
  auto it = values_.find(name);
  return it != values_.end() && it->second.is_object() ? &it->second : nullptr;
}

json FieldData::Raw(const std::string& name) const {
  auto it = raw_.find(name);
  return it == raw_.end() ? json() : *it;
}

bool FieldData::Provided(const std::string& name) const { return values_.count(name) != 0; }

std::vector<std::string> FieldData::Unknown() const {
  std::vector<std::string> unknown;
  for (auto it = raw_.begin(); it != raw_.end(); ++it) {
    if (schema_->count(it.key()) == 0) {
      unknown.push_back(it.key());
    }
  }
  return unknown;  // json objects iterate in key order, so already sorted
}

}  // namespace coffer::core::framework
