// FieldSchema and FieldData: a path's declared parameters and the typed
// values one request gives them (Vault's framework.FieldData).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "core/framework/field_type.h"

namespace coffer::core::framework {

struct FieldSchema {
  FieldType type = FieldType::kString;
  // Used when the request does not give the field; converted like a
  // request value, so a duration default may be "1h". Null means the type's
  // zero value.
  nlohmann::json default_value;
  // A required field missing from the request (and its captures) is a 400.
  bool required = false;
  std::string description;
};

using Fields = std::map<std::string, FieldSchema>;

// FieldData holds one request's values for a path's fields. Values come from
// the request data and from the path's named captures (a capture wins over
// a body value of the same name, as in Vault). A JSON null counts as not
// given. Reading it is thread-compatible: const methods may run concurrently.
class FieldData {
 public:
  // Parse converts every schema field present in `data` (a JSON object, or
  // null for none) and `captures`, and checks required fields. It fails
  // with InvalidArgument: "error converting input 'x' for field \"ttl\":
  // <reason>" or "missing required field \"name\"". Fields not in the schema
  // are kept in Raw() and listed by Unknown(). `schema` must outlive the
  // FieldData.
  static Result<FieldData> Parse(const Fields& schema, const nlohmann::json& data,
                                 const std::map<std::string, std::string>& captures);

  // Typed getters return the request's value, else the schema default, else
  // the zero value. Asking for a field not in the schema is a programming
  // error: it asserts in debug builds and yields the zero value.
  std::string GetString(const std::string& name) const;
  int64_t GetInt(const std::string& name) const;
  bool GetBool(const std::string& name) const;
  // GetDuration returns seconds.
  int64_t GetDuration(const std::string& name) const;
  // GetStrings serves the string slice types.
  std::vector<std::string> GetStrings(const std::string& name) const;
  // GetInts serves kIntSlice.
  std::vector<int64_t> GetInts(const std::string& name) const;
  // GetMap serves kMap and kKeyValuePairs (an object).
  nlohmann::json GetMap(const std::string& name) const;
  // FindMap is GetMap without the copy, for handlers that only read or
  // encode the map: the request's converted value of a kMap or
  // kKeyValuePairs field, or nullptr when the request did not give it
  // (schema defaults are left to GetMap). The pointee lives as long as
  // this FieldData.
  const nlohmann::json* FindMap(const std::string& name) const;
  // Get returns the value in its normal JSON form (see field_type.h).
  nlohmann::json Get(const std::string& name) const;

  // Provided reports whether the request (or a capture) gave the field a
  // non-null value.
  bool Provided(const std::string& name) const;

  // Raw is the request data with the captures merged in, unconverted.
  const nlohmann::json& Raw() const { return raw_; }
  // Raw(name) is one unconverted value; null when absent.
  nlohmann::json Raw(const std::string& name) const;

  // Unknown lists the names in the request data the schema does not declare,
  // sorted.
  std::vector<std::string> Unknown() const;

 private:
  FieldData(const Fields& schema, nlohmann::json raw) : schema_(&schema), raw_(std::move(raw)) {}

  const Fields* schema_;
  nlohmann::json raw_;
  // Converted values of the fields the request gave.
  std::map<std::string, nlohmann::json> values_;
};

}  // namespace coffer::core::framework
