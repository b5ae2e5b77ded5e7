#include "hcl/ast.h"

#include <cassert>
#include <utility>

namespace coffer::hcl {

Status ErrorAt(std::string_view filename, Position pos, std::string_view message) {
  std::string m;
  m.reserve(filename.size() + message.size() + 24);
  m.append(filename);
  m.append(":");
  m.append(std::to_string(pos.line));
  m.append(":");
  m.append(std::to_string(pos.column));
  m.append(": ");
  m.append(message);
  return Status::InvalidArgument(std::move(m));
}

std::string Quote(std::string_view s) {
  constexpr size_t kMax = 40;
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (size_t i = 0; i < s.size() && i < kMax; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < 0x20 || c >= 0x7F) {
      out.append("\\x");
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  if (s.size() > kMax) {
    out.append("...");
  }
  out.push_back('"');
  return out;
}

Value Value::Null(Position pos) {
  Value v;
  v.pos_ = pos;
  return v;
}

Value Value::Bool(bool b, Position pos) {
  Value v;
  v.kind_ = Kind::kBool;
  v.pos_ = pos;
  v.bool_ = b;
  return v;
}

Value Value::Int(int64_t i, Position pos) {
  Value v;
  v.kind_ = Kind::kInt;
  v.pos_ = pos;
  v.int_ = i;
  return v;
}

Value Value::Double(double d, Position pos) {
  Value v;
  v.kind_ = Kind::kDouble;
  v.pos_ = pos;
  v.double_ = d;
  return v;
}

Value Value::String(std::string s, Position pos) {
  Value v;
  v.kind_ = Kind::kString;
  v.pos_ = pos;
  v.string_ = std::move(s);
  return v;
}

Value Value::List(std::vector<Value> items, Position pos) {
  Value v;
  v.kind_ = Kind::kList;
  v.pos_ = pos;
  v.list_ = std::move(items);
  return v;
}

Value Value::Object(std::vector<ObjectEntry> entries, Position pos) {
  Value v;
  v.kind_ = Kind::kObject;
  v.pos_ = pos;
  v.object_ = std::move(entries);
  return v;
}

bool Value::as_bool() const {
  assert(is_bool());
  return bool_;
}

int64_t Value::as_int() const {
  assert(is_int());
  return int_;
}

double Value::as_double() const {
  assert(is_number());
  if (is_int()) {
    return static_cast<double>(int_);
  }
  return double_;
}

const std::string& Value::as_string() const {
  assert(is_string());
  return string_;
}

const std::vector<Value>& Value::as_list() const {
  assert(is_list());
  return list_;
}

const std::vector<ObjectEntry>& Value::as_object() const {
  assert(is_object());
  return object_;
}

const Value* Value::Find(std::string_view key) const {
  if (!is_object()) {
    return nullptr;
  }
  for (const ObjectEntry& e : object_) {
    if (e.key == key) {
      return &e.value;
    }
  }
  return nullptr;
}

const char* KindName(Value::Kind kind) {
  switch (kind) {
    case Value::Kind::kNull: return "null";
    case Value::Kind::kBool: return "bool";
    case Value::Kind::kInt: return "number";
    case Value::Kind::kDouble: return "number";
    case Value::Kind::kString: return "string";
    case Value::Kind::kList: return "list";
    case Value::Kind::kObject: return "object";
  }
  return "value";
}

const Attribute* Body::FindAttribute(std::string_view key) const {
  for (const Item& item : items) {
    const Attribute* a = item.attribute();
    if (a != nullptr && a->key == key) {
      return a;
    }
  }
  return nullptr;
}

std::vector<const Block*> Body::BlocksOfType(std::string_view type) const {
  std::vector<const Block*> out;
  for (const Item& item : items) {
    const Block* b = item.block();
    if (b != nullptr && b->type == type) {
      out.push_back(b);
    }
  }
  return out;
}

const std::string& Item::key() const {
  if (const Attribute* a = attribute()) {
    return a->key;
  }
  // The variant holds one of two kinds, so this is the block.
  return std::get_if<Block>(&node)->type;
}

Position Item::pos() const {
  if (const Attribute* a = attribute()) {
    return a->pos;
  }
  return std::get_if<Block>(&node)->pos;
}

}  // namespace coffer::hcl
