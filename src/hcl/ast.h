// Syntax tree of an HCL document, produced by both the native HCL parser
// (hcl/parser.h) and the JSON reader (hcl/json_to_hcl.h), so consumers (the
// server config, ACL policies) are written once against one shape.
//
// A document is a Body: an ordered list of items, each either an attribute
// `key = value` or a block `type "label" ... { body }`. Values are the JSON
// kinds, with integers kept apart from floating-point numbers. Every value,
// attribute, block, label and object key carries the position where it starts
// in the source, so consumers can report "<file>:<line>: ..." errors.
//
// The tree is plain data: copyable, immutable once built, safe to share
// between threads for reading.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/status.h"

namespace coffer::hcl {

// Position is where a node starts: a 1-based line and a 1-based byte column.
struct Position {
  size_t line = 1;
  size_t column = 1;
};

// ErrorAt returns InvalidArgument with the message
// "<filename>:<line>:<column>: <message>", the form of every parse error.
Status ErrorAt(std::string_view filename, Position pos, std::string_view message);

// Quote renders text for a message: in double quotes, with quotes,
// backslashes and non-printable bytes escaped, cut short after 40 bytes so a
// megabyte-long string cannot flood the log.
std::string Quote(std::string_view text);

struct ObjectEntry;

// Value is one HCL/JSON value. Accessors for a kind other than kind() are
// programming errors: they assert, and in release builds return an empty
// value of the requested type.
class Value {
 public:
  enum class Kind { kNull, kBool, kInt, kDouble, kString, kList, kObject };

  Value() = default;  // null at 1:1

  static Value Null(Position pos);
  static Value Bool(bool b, Position pos);
  static Value Int(int64_t i, Position pos);
  static Value Double(double d, Position pos);
  static Value String(std::string s, Position pos);
  static Value List(std::vector<Value> items, Position pos);
  static Value Object(std::vector<ObjectEntry> entries, Position pos);

  Kind kind() const { return kind_; }
  Position pos() const { return pos_; }

  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_bool() const { return kind_ == Kind::kBool; }
  bool is_int() const { return kind_ == Kind::kInt; }
  bool is_double() const { return kind_ == Kind::kDouble; }
  bool is_number() const { return is_int() || is_double(); }
  bool is_string() const { return kind_ == Kind::kString; }
  bool is_list() const { return kind_ == Kind::kList; }
  bool is_object() const { return kind_ == Kind::kObject; }

  bool as_bool() const;
  int64_t as_int() const;
  // as_double converts an int too, so numeric consumers need not care.
  double as_double() const;
  const std::string& as_string() const;
  const std::vector<Value>& as_list() const;
  // Object entries keep source order; the parsers reject duplicate keys.
  const std::vector<ObjectEntry>& as_object() const;

  // Find returns the value of the object entry named `key`, or nullptr when
  // this is not an object or has no such key.
  const Value* Find(std::string_view key) const;

 private:
  Kind kind_ = Kind::kNull;
  Position pos_;
  bool bool_ = false;
  int64_t int_ = 0;
  double double_ = 0;
  std::string string_;
  std::vector<Value> list_;
  std::vector<ObjectEntry> object_;
};

// KindName is a lower-case word for messages: "null", "bool", "number",
// "string", "list", "object".
const char* KindName(Value::Kind kind);

struct ObjectEntry {
  std::string key;
  Position pos;  // of the key
  Value value;
};

struct Item;
struct Attribute;
struct Block;

// Body is the contents of a document or of a block.
struct Body {
  std::vector<Item> items;

  // FindAttribute returns the attribute named `key`, or nullptr.
  const Attribute* FindAttribute(std::string_view key) const;
  // BlocksOfType returns the blocks whose type is `type`, in source order.
  // The pointers stay valid while this Body is alive and unmodified.
  std::vector<const Block*> BlocksOfType(std::string_view type) const;
};

// Attribute is `key = value`.
struct Attribute {
  std::string key;
  Position pos;  // of the key
  Value value;
};

// Label is one of a block's labels: a quoted string or a bare identifier.
struct Label {
  std::string value;
  Position pos;
};

// Block is `type "label1" label2 { body }`.
struct Block {
  std::string type;
  Position pos;  // of the type keyword
  std::vector<Label> labels;
  Body body;
};

// Item is one entry of a Body: an attribute or a block.
struct Item {
  std::variant<Attribute, Block> node;

  bool is_attribute() const { return std::holds_alternative<Attribute>(node); }
  bool is_block() const { return std::holds_alternative<Block>(node); }
  // attribute() and block() return nullptr when the item is the other kind.
  const Attribute* attribute() const { return std::get_if<Attribute>(&node); }
  const Block* block() const { return std::get_if<Block>(&node); }
  // key is the attribute's key or the block's type.
  const std::string& key() const;
  Position pos() const;
};

}  // namespace coffer::hcl
