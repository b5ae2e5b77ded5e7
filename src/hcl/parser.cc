// Hand-written recursive descent over hcl/lexer's tokens; see parser.h for
// the grammar and lexer.cc for why there is no library to use instead.
#include "hcl/parser.h"

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "hcl/lexer.h"

namespace coffer::hcl {

namespace {

// OpenBrace remembers where a block began, to name it when it never closes.
struct OpenBrace {
  Position pos;
  std::string_view type;
};

using SeenKeys = std::unordered_map<std::string, Position>;

class Parser {
 public:
  Parser(std::string_view text, std::string_view filename, bool json)
      : lexer_(text, filename, /*newline_tokens=*/!json), filename_(filename) {}

  Result<Body> Document() {
    COFFER_RETURN_IF_ERROR(Advance());
    Body body;
    COFFER_RETURN_IF_ERROR(ParseBody(&body, nullptr, 0));
    return body;
  }

  Result<Value> SingleValue() {
    COFFER_RETURN_IF_ERROR(Advance());
    COFFER_ASSIGN_OR_RETURN(Value v, ParseValue(0));
    if (tok_.kind != TokenKind::kEof) {
      return Error(tok_.pos, "unexpected " + Describe(tok_) + " after the end of the document");
    }
    return v;
  }

 private:
  Status Advance() {
    Result<Token> next = lexer_.Next();
    if (!next.ok()) {
      return next.status();
    }
    tok_ = std::move(next).value();
    return Status::Ok();
  }

  Status SkipNewlines() {
    while (tok_.kind == TokenKind::kNewline) {
      COFFER_RETURN_IF_ERROR(Advance());
    }
    return Status::Ok();
  }

  Status Error(Position pos, std::string_view message) const {
    return ErrorAt(filename_, pos, message);
  }

  Status TooDeep(Position pos) const {
    return Error(pos, "nesting too deep: more than " + std::to_string(kMaxDepth) +
                          " levels of blocks, lists and objects");
  }

  // CheckDuplicate records `key` and fails if it was already set.
  Status CheckDuplicate(SeenKeys* seen, const std::string& key, Position pos) const {
    auto [it, inserted] = seen->emplace(key, pos);
    if (!inserted) {
      return Error(pos, "duplicate key " + Quote(key) + ": already set on line " +
                            std::to_string(it->second.line));
    }
    return Status::Ok();
  }

  bool IsKey() const {
    return tok_.kind == TokenKind::kIdent || tok_.kind == TokenKind::kString;
  }

  // ParseBody reads items up to the end of input (open == nullptr) or up to
  // and including the '}' that closes the block at *open.
  Status ParseBody(Body* body, const OpenBrace* open, size_t depth) {
    SeenKeys seen;
    while (true) {
      COFFER_RETURN_IF_ERROR(SkipNewlines());
      if (tok_.kind == TokenKind::kEof) {
        if (open != nullptr) {
          return Error(open->pos, "unterminated block " + Quote(open->type) +
                                      ": no '}' closes this '{'");
        }
        return Status::Ok();
      }
      if (tok_.kind == TokenKind::kRBrace) {
        if (open != nullptr) {
          return Advance();
        }
        return Error(tok_.pos, "unexpected '}': no block is open");
      }
      COFFER_RETURN_IF_ERROR(ParseItem(body, &seen, depth));
      // An item ends at a newline, a comma, or the end of its body.
      if (tok_.kind == TokenKind::kNewline || tok_.kind == TokenKind::kComma) {
        COFFER_RETURN_IF_ERROR(Advance());
        continue;
      }
      if (tok_.kind == TokenKind::kRBrace || tok_.kind == TokenKind::kEof) {
        continue;
      }
      return Error(tok_.pos, "unexpected " + Describe(tok_) + " after " +
                                 Quote(body->items.back().key()) +
                                 "; put each item on its own line or separate items with ','");
    }
  }

  Status ParseItem(Body* body, SeenKeys* seen, size_t depth) {
    if (!IsKey()) {
      return Error(tok_.pos, "expected a key, got " + Describe(tok_));
    }
    std::string key = std::move(tok_.text);
    Position key_pos = tok_.pos;
    COFFER_RETURN_IF_ERROR(Advance());

    if (tok_.kind == TokenKind::kEquals) {
      COFFER_RETURN_IF_ERROR(Advance());
      if (tok_.kind == TokenKind::kNewline || tok_.kind == TokenKind::kEof) {
        return Error(tok_.pos, "expected a value after " + Quote(key) + " =, got " + Describe(tok_));
      }
      COFFER_ASSIGN_OR_RETURN(Value value, ParseValue(depth));
      COFFER_RETURN_IF_ERROR(CheckDuplicate(seen, key, key_pos));
      body->items.push_back(Item{Attribute{std::move(key), key_pos, std::move(value)}});
      return Status::Ok();
    }

    Block block;
    block.type = std::move(key);
    block.pos = key_pos;
    while (IsKey()) {
      block.labels.push_back(Label{std::move(tok_.text), tok_.pos});
      COFFER_RETURN_IF_ERROR(Advance());
    }
    if (tok_.kind != TokenKind::kLBrace) {
      if (block.labels.empty()) {
        return Error(tok_.pos, "expected '=' or '{' after key " + Quote(block.type) + ", got " +
                                   Describe(tok_));
      }
      return Error(tok_.pos, "expected '{' after the labels of block " + Quote(block.type) +
                                 ", got " + Describe(tok_));
    }
    if (depth + 1 > kMaxDepth) {
      return TooDeep(tok_.pos);
    }
    OpenBrace open{tok_.pos, block.type};
    COFFER_RETURN_IF_ERROR(Advance());
    COFFER_RETURN_IF_ERROR(ParseBody(&block.body, &open, depth + 1));
    body->items.push_back(Item{std::move(block)});
    return Status::Ok();
  }

  Result<Value> ParseValue(size_t depth) {
    Position pos = tok_.pos;
    switch (tok_.kind) {
      case TokenKind::kString:
      case TokenKind::kHeredoc: {
        Value v = Value::String(std::move(tok_.text), pos);
        COFFER_RETURN_IF_ERROR(Advance());
        return v;
      }
      case TokenKind::kNumber: {
        Value v = tok_.is_float ? Value::Double(tok_.double_value, pos)
                                : Value::Int(tok_.int_value, pos);
        COFFER_RETURN_IF_ERROR(Advance());
        return v;
      }
      case TokenKind::kIdent: {
        Value v;
        if (tok_.text == "true" || tok_.text == "false") {
          v = Value::Bool(tok_.text == "true", pos);
        } else if (tok_.text == "null") {
          v = Value::Null(pos);
        } else {
          return Error(pos, "unexpected " + Describe(tok_) +
                                " where a value belongs; strings must be quoted");
        }
        COFFER_RETURN_IF_ERROR(Advance());
        return v;
      }
      case TokenKind::kLBracket: return ParseList(depth + 1);
      case TokenKind::kLBrace: return ParseObject(depth + 1);
      default: return Error(pos, "expected a value, got " + Describe(tok_));
    }
  }

  Result<Value> ParseList(size_t depth) {
    Position open = tok_.pos;
    if (depth > kMaxDepth) {
      return TooDeep(open);
    }
    COFFER_RETURN_IF_ERROR(Advance());
    std::vector<Value> items;
    while (true) {
      COFFER_RETURN_IF_ERROR(SkipNewlines());
      if (tok_.kind == TokenKind::kRBracket) {
        break;
      }
      if (tok_.kind == TokenKind::kEof) {
        return Error(open, "unterminated list: no ']' closes this '['");
      }
      COFFER_ASSIGN_OR_RETURN(Value v, ParseValue(depth));
      items.push_back(std::move(v));
      COFFER_RETURN_IF_ERROR(SkipNewlines());
      if (tok_.kind == TokenKind::kComma) {
        COFFER_RETURN_IF_ERROR(Advance());
        continue;
      }
      if (tok_.kind == TokenKind::kRBracket) {
        break;
      }
      if (tok_.kind == TokenKind::kEof) {
        return Error(open, "unterminated list: no ']' closes this '['");
      }
      return Error(tok_.pos, "expected ',' or ']' in list, got " + Describe(tok_));
    }
    COFFER_RETURN_IF_ERROR(Advance());  // ']'
    return Value::List(std::move(items), open);
  }

  Result<Value> ParseObject(size_t depth) {
    Position open = tok_.pos;
    if (depth > kMaxDepth) {
      return TooDeep(open);
    }
    COFFER_RETURN_IF_ERROR(Advance());
    std::vector<ObjectEntry> entries;
    SeenKeys seen;
    while (true) {
      COFFER_RETURN_IF_ERROR(SkipNewlines());
      if (tok_.kind == TokenKind::kRBrace) {
        break;
      }
      if (tok_.kind == TokenKind::kEof) {
        return Error(open, "unterminated object: no '}' closes this '{'");
      }
      if (!IsKey()) {
        return Error(tok_.pos, "expected a key in object, got " + Describe(tok_));
      }
      std::string key = std::move(tok_.text);
      Position key_pos = tok_.pos;
      COFFER_RETURN_IF_ERROR(Advance());
      if (tok_.kind != TokenKind::kEquals && tok_.kind != TokenKind::kColon) {
        return Error(tok_.pos, "expected '=' or ':' after key " + Quote(key) + " in object, got " +
                                   Describe(tok_));
      }
      COFFER_RETURN_IF_ERROR(Advance());
      if (tok_.kind == TokenKind::kNewline || tok_.kind == TokenKind::kEof) {
        return Error(tok_.pos, "expected a value after key " + Quote(key) + ", got " +
                                   Describe(tok_));
      }
      COFFER_ASSIGN_OR_RETURN(Value value, ParseValue(depth));
      COFFER_RETURN_IF_ERROR(CheckDuplicate(&seen, key, key_pos));
      entries.push_back(ObjectEntry{std::move(key), key_pos, std::move(value)});
      if (tok_.kind == TokenKind::kComma) {
        COFFER_RETURN_IF_ERROR(Advance());
        continue;
      }
      if (tok_.kind == TokenKind::kNewline || tok_.kind == TokenKind::kRBrace) {
        continue;
      }
      if (tok_.kind == TokenKind::kEof) {
        return Error(open, "unterminated object: no '}' closes this '{'");
      }
      return Error(tok_.pos, "expected ',' or a newline after the value of " +
                                 Quote(entries.back().key) + ", got " + Describe(tok_));
    }
    COFFER_RETURN_IF_ERROR(Advance());  // '}'
    return Value::Object(std::move(entries), open);
  }

  Lexer lexer_;
  std::string_view filename_;
  Token tok_;
};

}  // namespace

Result<Body> ParseHcl(std::string_view text, std::string_view filename) {
  Parser parser(text, filename, /*json=*/false);
  return parser.Document();
}

Result<Value> ParseJsonValue(std::string_view text, std::string_view filename) {
  Parser parser(text, filename, /*json=*/true);
  return parser.SingleValue();
}

}  // namespace coffer::hcl
