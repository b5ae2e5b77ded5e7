#include "hcl/json_to_hcl.h"

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "hcl/parser.h"

namespace coffer::hcl {

namespace {

Status TooDeep(std::string_view filename, Position pos) {
  return ErrorAt(filename, pos, "nesting too deep: more than " + std::to_string(kMaxDepth) +
                                    " levels of objects and arrays");
}

// IsBlockValue reports whether a schema key's value has a block's shape: an
// object, or a non-empty array of objects. Anything else stays an attribute,
// so the consumer reports "X must be a block" in its own words.
bool IsBlockValue(const Value& v) {
  if (v.is_object()) {
    return true;
  }
  if (!v.is_list() || v.as_list().empty()) {
    return false;
  }
  for (const Value& e : v.as_list()) {
    if (!e.is_object()) {
      return false;
    }
  }
  return true;
}

class Converter {
 public:
  Converter(std::string_view filename, const BlockSchema& schema)
      : filename_(filename), schema_(schema) {}

  Status ObjectToBody(const Value& object, Body* body, size_t depth) {
    if (depth > kMaxDepth) {
      return TooDeep(filename_, object.pos());
    }
    for (const ObjectEntry& entry : object.as_object()) {
      auto it = schema_.find(entry.key);
      if (it == schema_.end() || !IsBlockValue(entry.value)) {
        body->items.push_back(Item{Attribute{entry.key, entry.pos, entry.value}});
        continue;
      }
      COFFER_RETURN_IF_ERROR(AddBlocks(entry, it->second, entry.value, {}, body, depth + 1));
    }
    return Status::Ok();
  }

 private:
  // AddBlocks peels `labels_left` levels of label objects off `value`, then
  // adds one block per body found.
  Status AddBlocks(const ObjectEntry& type, size_t labels_left, const Value& value,
                   const std::vector<Label>& labels, Body* body, size_t depth) {
    if (depth > kMaxDepth) {
      return TooDeep(filename_, value.pos());
    }
    if (value.is_list()) {
      for (const Value& element : value.as_list()) {
        if (!element.is_object()) {
          return ErrorAt(filename_, element.pos(),
                         "expected an object for block " + Quote(type.key) + ", got " +
                             KindName(element.kind()));
        }
        COFFER_RETURN_IF_ERROR(AddBlocks(type, labels_left, element, labels, body, depth + 1));
      }
      return Status::Ok();
    }
    if (!value.is_object()) {
      return ErrorAt(filename_, value.pos(),
                     "expected an object for block " + Quote(type.key) + ", got " +
                         KindName(value.kind()));
    }
    if (labels_left == 0) {
      Block block;
      block.type = type.key;
      block.pos = type.pos;
      block.labels = labels;
      COFFER_RETURN_IF_ERROR(ObjectToBody(value, &block.body, depth + 1));
      body->items.push_back(Item{std::move(block)});
      return Status::Ok();
    }
    if (value.as_object().empty()) {
      return ErrorAt(filename_, value.pos(),
                     "block " + Quote(type.key) + " needs " + std::to_string(labels_left) +
                         " more label(s), as in {\"" + type.key + "\": {\"<label>\": {...}}}");
    }
    for (const ObjectEntry& entry : value.as_object()) {
      std::vector<Label> more = labels;
      more.push_back(Label{entry.key, entry.pos});
      COFFER_RETURN_IF_ERROR(AddBlocks(type, labels_left - 1, entry.value, more, body, depth + 1));
    }
    return Status::Ok();
  }

  std::string_view filename_;
  const BlockSchema& schema_;
};

// StrictJsonChecker is a SAX handler that accepts every event and records
// the first syntax error: nlohmann's SAX parser is iterative, so this checks
// a document of any depth without building it.
struct StrictJsonChecker {
  using json = nlohmann::json;
  bool null() { return true; }
  bool boolean(bool) { return true; }
  bool number_integer(json::number_integer_t) { return true; }
  bool number_unsigned(json::number_unsigned_t) { return true; }
  bool number_float(json::number_float_t, const json::string_t&) { return true; }
  bool string(json::string_t&) { return true; }
  bool binary(json::binary_t&) { return true; }
  bool start_object(std::size_t) { return true; }
  bool key(json::string_t&) { return true; }
  bool end_object() { return true; }
  bool start_array(std::size_t) { return true; }
  bool end_array() { return true; }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) {
    failed = true;
    error_offset = position;
    message = ex.what();
    return false;
  }

  bool failed = false;
  size_t error_offset = 0;
  std::string message;
};

// PositionOf maps nlohmann's error offset (bytes read, counting the bad
// one) to a line and column.
Position PositionOf(std::string_view text, size_t bytes_read) {
  size_t offset = bytes_read > 0 ? bytes_read - 1 : 0;
  if (offset > text.size()) {
    offset = text.size();
  }
  Position pos;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++pos.line;
      pos.column = 1;
    } else {
      ++pos.column;
    }
  }
  return pos;
}

// CleanMessage drops nlohmann's "[json.exception...] parse error at line L,
// column C: " prefix: our own prefix already gives the position.
std::string CleanMessage(const std::string& what) {
  size_t column = what.find("column ");
  if (column != std::string::npos) {
    size_t colon = what.find(": ", column);
    if (colon != std::string::npos) {
      return what.substr(colon + 2);
    }
  }
  return what;
}

Status CheckStrictJson(std::string_view text, std::string_view filename) {
  StrictJsonChecker checker;
  try {
    bool ok = nlohmann::json::sax_parse(text, &checker);
    if (ok && !checker.failed) {
      return Status::Ok();
    }
  } catch (const nlohmann::json::exception& e) {
    return ErrorAt(filename, Position{}, std::string("invalid JSON: ") + CleanMessage(e.what()));
  }
  return ErrorAt(filename, PositionOf(text, checker.error_offset),
                 "invalid JSON: " + CleanMessage(checker.message));
}

Result<Value> FromNlohmann(const nlohmann::json& j, std::string_view filename, size_t depth) {
  const Position pos;  // nlohmann keeps no positions
  if (depth > kMaxDepth) {
    return TooDeep(filename, pos);
  }
  switch (j.type()) {
    case nlohmann::json::value_t::null: return Value::Null(pos);
    case nlohmann::json::value_t::boolean:
      return Value::Bool(*j.get_ptr<const nlohmann::json::boolean_t*>(), pos);
    case nlohmann::json::value_t::number_integer:
      return Value::Int(*j.get_ptr<const nlohmann::json::number_integer_t*>(), pos);
    case nlohmann::json::value_t::number_unsigned: {
      uint64_t u = *j.get_ptr<const nlohmann::json::number_unsigned_t*>();
      if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        return ErrorAt(filename, pos, "number out of range: " + std::to_string(u) +
                                          " does not fit in a 64-bit integer");
      }
      return Value::Int(static_cast<int64_t>(u), pos);
    }
    case nlohmann::json::value_t::number_float:
      return Value::Double(*j.get_ptr<const nlohmann::json::number_float_t*>(), pos);
    case nlohmann::json::value_t::string:
      return Value::String(*j.get_ptr<const nlohmann::json::string_t*>(), pos);
    case nlohmann::json::value_t::array: {
      std::vector<Value> items;
      for (const nlohmann::json& e : *j.get_ptr<const nlohmann::json::array_t*>()) {
        COFFER_ASSIGN_OR_RETURN(Value v, FromNlohmann(e, filename, depth + 1));
        items.push_back(std::move(v));
      }
      return Value::List(std::move(items), pos);
    }
    case nlohmann::json::value_t::object: {
      std::vector<ObjectEntry> entries;
      for (const auto& [key, e] : *j.get_ptr<const nlohmann::json::object_t*>()) {
        COFFER_ASSIGN_OR_RETURN(Value v, FromNlohmann(e, filename, depth + 1));
        entries.push_back(ObjectEntry{key, pos, std::move(v)});
      }
      return Value::Object(std::move(entries), pos);
    }
    case nlohmann::json::value_t::binary:
    case nlohmann::json::value_t::discarded: break;
  }
  return ErrorAt(filename, pos, "unsupported JSON value");
}

}  // namespace

Result<Body> BodyFromObject(const Value& object, std::string_view filename,
                            const BlockSchema& schema) {
  if (!object.is_object()) {
    return ErrorAt(filename, object.pos(),
                   std::string("the document must be a JSON object, got ") +
                       KindName(object.kind()));
  }
  Body body;
  Converter converter(filename, schema);
  COFFER_RETURN_IF_ERROR(converter.ObjectToBody(object, &body, 0));
  return body;
}

Result<Body> ParseJson(std::string_view text, std::string_view filename, const BlockSchema& schema) {
  COFFER_RETURN_IF_ERROR(CheckStrictJson(text, filename));
  // Valid JSON is also valid input to our own value parser, which keeps the
  // line and column of every value for messages.
  COFFER_ASSIGN_OR_RETURN(Value root, ParseJsonValue(text, filename));
  return BodyFromObject(root, filename, schema);
}

Result<Body> BodyFromJson(const nlohmann::json& doc, std::string_view filename,
                          const BlockSchema& schema) {
  COFFER_ASSIGN_OR_RETURN(Value root, FromNlohmann(doc, filename, 0));
  return BodyFromObject(root, filename, schema);
}

}  // namespace coffer::hcl
