// Hand-written: Debian packages no HCL parser usable from C++ (HashiCorp's
// hcl is Go only), and configs and policies need only HCL's data subset, so
// this lexer and hcl/parser cover that subset without expressions.
#include "hcl/lexer.h"

#include <charconv>
#include <cmath>
#include <system_error>
#include <vector>

namespace coffer::hcl {

namespace {

bool IsDigit(int c) { return c >= '0' && c <= '9'; }
bool IsAlpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsIdentStart(int c) { return IsAlpha(c) || c == '_'; }
bool IsIdentChar(int c) { return IsAlpha(c) || IsDigit(c) || c == '_' || c == '-' || c == '.'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

int HexValue(int c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string DescribeByte(int c) {
  static const char kHex[] = "0123456789ABCDEF";
  if (c > 0x20 && c < 0x7F) {
    return std::string("'") + static_cast<char>(c) + "'";
  }
  std::string out = "byte 0x";
  out.push_back(kHex[(c >> 4) & 0xF]);
  out.push_back(kHex[c & 0xF]);
  return out;
}

// ValidNumber checks -?digits(.digits)?([eE][+-]?digits)? and reports
// whether the number has a fraction or exponent.
bool ValidNumber(std::string_view s, bool* is_float) {
  size_t i = 0;
  *is_float = false;
  auto digits = [&]() {
    size_t start = i;
    while (i < s.size() && IsDigit(static_cast<unsigned char>(s[i]))) {
      ++i;
    }
    return i > start;
  };
  if (i < s.size() && s[i] == '-') {
    ++i;
  }
  if (!digits()) {
    return false;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    *is_float = true;
    if (!digits()) {
      return false;
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    *is_float = true;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
      ++i;
    }
    if (!digits()) {
      return false;
    }
  }
  return i == s.size();
}

}  // namespace

std::string Describe(const Token& tok) {
  switch (tok.kind) {
    case TokenKind::kEof: return "end of file";
    case TokenKind::kNewline: return "newline";
    case TokenKind::kComma: return "','";
    case TokenKind::kEquals: return "'='";
    case TokenKind::kColon: return "':'";
    case TokenKind::kLBrace: return "'{'";
    case TokenKind::kRBrace: return "'}'";
    case TokenKind::kLBracket: return "'['";
    case TokenKind::kRBracket: return "']'";
    case TokenKind::kIdent: return "identifier " + Quote(tok.text);
    case TokenKind::kString: return "string " + Quote(tok.text);
    case TokenKind::kHeredoc: return "heredoc";
    case TokenKind::kNumber: return "number " + tok.text;
  }
  return "token";
}

Lexer::Lexer(std::string_view text, std::string_view filename, bool newline_tokens)
    : text_(text), filename_(filename), newline_tokens_(newline_tokens) {
  // Editors on some platforms prepend a UTF-8 byte order mark; it is not content.
  if (text_.substr(0, 3) == "\xEF\xBB\xBF") {
    offset_ = 3;
  }
}

bool Lexer::AtEnd(size_t ahead) const {
  return offset_ >= text_.size() || ahead >= text_.size() - offset_;
}

int Lexer::Peek(size_t ahead) const {
  if (AtEnd(ahead)) {
    return -1;
  }
  return static_cast<unsigned char>(text_[offset_ + ahead]);
}

void Lexer::Advance() {
  if (AtEnd()) {
    return;
  }
  if (text_[offset_] == '\n') {
    ++pos_.line;
    pos_.column = 1;
  } else {
    ++pos_.column;
  }
  ++offset_;
}

void Lexer::AdvanceInLine(size_t n) {
  size_t left = AtEnd() ? 0 : text_.size() - offset_;
  if (n > left) {
    n = left;
  }
  offset_ += n;
  pos_.column += n;
}

Status Lexer::Error(Position pos, std::string_view message) const {
  return ErrorAt(filename_, pos, message);
}

Status Lexer::SkipTrivia(bool* newline_in_comment) {
  *newline_in_comment = false;
  while (!AtEnd()) {
    int c = Peek();
    if (c == ' ' || c == '\t' || c == '\r' || (c == '\n' && !newline_tokens_)) {
      Advance();
    } else if (c == '#' || (c == '/' && Peek(1) == '/')) {
      // A line comment ends before its newline, which stays a token.
      while (!AtEnd() && Peek() != '\n') {
        Advance();
      }
    } else if (c == '/' && Peek(1) == '*') {
      Position start = Here();
      Advance();
      Advance();
      while (true) {
        if (AtEnd()) {
          return Error(start, "unterminated comment: '/*' has no closing '*/'");
        }
        if (Peek() == '*' && Peek(1) == '/') {
          Advance();
          Advance();
          break;
        }
        if (Peek() == '\n') {
          *newline_in_comment = true;
        }
        Advance();
      }
    } else {
      break;
    }
  }
  return Status::Ok();
}

Result<Token> Lexer::Next() {
  bool newline_in_comment = false;
  COFFER_RETURN_IF_ERROR(SkipTrivia(&newline_in_comment));
  Token tok;
  tok.pos = Here();
  if (newline_in_comment && newline_tokens_) {
    tok.kind = TokenKind::kNewline;
    return tok;
  }
  int c = Peek();
  auto single = [&](TokenKind kind) {
    Advance();
    tok.kind = kind;
    return tok;
  };
  switch (c) {
    case -1: tok.kind = TokenKind::kEof; return tok;
    case '\n': return single(TokenKind::kNewline);
    case ',': return single(TokenKind::kComma);
    case '=': return single(TokenKind::kEquals);
    case ':': return single(TokenKind::kColon);
    case '{': return single(TokenKind::kLBrace);
    case '}': return single(TokenKind::kRBrace);
    case '[': return single(TokenKind::kLBracket);
    case ']': return single(TokenKind::kRBracket);
    case '"': return LexString();
    default: break;
  }
  if (c == '<' && Peek(1) == '<') {
    return LexHeredoc();
  }
  if (IsDigit(c) || (c == '-' && IsDigit(Peek(1)))) {
    return LexNumber();
  }
  if (IsIdentStart(c)) {
    return LexIdent();
  }
  if (c >= 0x80) {
    return Error(tok.pos, "unexpected " + DescribeByte(c) +
                              "; non-ASCII text must be inside a quoted string");
  }
  return Error(tok.pos, "unexpected character " + DescribeByte(c));
}

Result<Token> Lexer::LexString() {
  Token tok;
  tok.kind = TokenKind::kString;
  tok.pos = Here();
  Advance();  // opening quote
  while (true) {
    int c = Peek();
    if (c == -1 || c == '\n') {
      return Error(tok.pos, "unterminated string: missing closing '\"' on this line");
    }
    if (c == '"') {
      Advance();
      return tok;
    }
    if (c == '\\') {
      COFFER_RETURN_IF_ERROR(LexEscape(&tok.text));
      continue;
    }
    tok.text.push_back(static_cast<char>(c));
    Advance();
  }
}

Status Lexer::LexEscape(std::string* out) {
  Position start = Here();
  Advance();  // backslash
  int c = Peek();
  if (c == -1 || c == '\n') {
    return Error(start, "unterminated string: a '\\' ends the line");
  }
  Advance();
  switch (c) {
    case 'n': out->push_back('\n'); return Status::Ok();
    case 't': out->push_back('\t'); return Status::Ok();
    case 'r': out->push_back('\r'); return Status::Ok();
    case 'b': out->push_back('\b'); return Status::Ok();
    case 'f': out->push_back('\f'); return Status::Ok();
    case '"': out->push_back('"'); return Status::Ok();
    case '\\': out->push_back('\\'); return Status::Ok();
    case '/': out->push_back('/'); return Status::Ok();
    case 'u':
    case 'U': break;
    default: {
      std::string seq = (c > 0x20 && c < 0x7F) ? std::string("\"\\") + static_cast<char>(c) + "\""
                                               : "'\\' followed by " + DescribeByte(c);
      return Error(start, "invalid escape sequence " + seq + " in string; write \\\\ for a backslash");
    }
  }
  auto read_hex = [&](size_t n, uint32_t* cp) {
    *cp = 0;
    for (size_t i = 0; i < n; ++i) {
      int h = HexValue(Peek());
      if (h < 0) {
        return false;
      }
      *cp = (*cp << 4) | static_cast<uint32_t>(h);
      Advance();
    }
    return true;
  };
  uint32_t cp = 0;
  size_t digits = (c == 'u') ? 4 : 8;
  if (!read_hex(digits, &cp)) {
    return Error(start, std::string("invalid unicode escape: \\") + static_cast<char>(c) +
                            " needs " + std::to_string(digits) + " hex digits");
  }
  // JSON spells characters beyond the BMP as a UTF-16 surrogate pair.
  if (cp >= 0xD800 && cp <= 0xDBFF && c == 'u' && Peek() == '\\' && Peek(1) == 'u') {
    Advance();
    Advance();
    uint32_t low = 0;
    if (!read_hex(4, &low) || low < 0xDC00 || low > 0xDFFF) {
      return Error(start, "invalid unicode escape: unpaired surrogate");
    }
    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
  }
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
    return Error(start, "invalid unicode escape: not a valid code point");
  }
  AppendUtf8(cp, out);
  return Status::Ok();
}

Result<Token> Lexer::LexHeredoc() {
  Token tok;
  tok.kind = TokenKind::kHeredoc;
  tok.pos = Here();
  Advance();
  Advance();  // "<<"
  bool indented = false;
  if (Peek() == '-') {
    indented = true;
    Advance();
  }
  size_t marker_start = offset_;
  if (!IsIdentStart(Peek())) {
    return Error(Here(), "expected a heredoc marker after '<<', as in <<EOF");
  }
  while (IsIdentStart(Peek()) || IsDigit(Peek())) {
    Advance();
  }
  std::string_view marker = text_.substr(marker_start, offset_ - marker_start);
  while (Peek() == ' ' || Peek() == '\t' || Peek() == '\r') {
    Advance();
  }
  if (Peek() != '\n') {
    return Error(Here(), "heredoc marker <<" + std::string(marker) +
                             " must be followed by a newline");
  }
  Advance();

  std::vector<std::string_view> lines;
  while (true) {
    if (AtEnd()) {
      return Error(tok.pos, "unterminated heredoc: no line with the closing marker " +
                                Quote(marker));
    }
    size_t end = text_.find('\n', offset_);
    if (end == std::string_view::npos) {
      end = text_.size();
    }
    std::string_view line = text_.substr(offset_, end - offset_);
    size_t line_len = line.size();
    while (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    std::string_view trimmed = line;
    while (!trimmed.empty() && IsSpace(trimmed.front())) {
      trimmed.remove_prefix(1);
    }
    while (!trimmed.empty() && IsSpace(trimmed.back())) {
      trimmed.remove_suffix(1);
    }
    AdvanceInLine(line_len);
    if (trimmed == marker) {
      break;  // the newline after the marker ends the attribute
    }
    lines.push_back(line);
    Advance();  // the line's newline, if any
  }

  // <<- strips the indentation common to all non-blank lines, so the body
  // can be indented along with the surrounding block.
  size_t strip = 0;
  if (indented) {
    bool first = true;
    for (std::string_view line : lines) {
      size_t n = 0;
      while (n < line.size() && (line[n] == ' ' || line[n] == '\t')) {
        ++n;
      }
      if (n == line.size()) {
        continue;  // blank
      }
      if (first || n < strip) {
        strip = n;
        first = false;
      }
    }
  }
  for (std::string_view line : lines) {
    if (line.size() >= strip) {
      line.remove_prefix(strip);
    } else {
      line = {};
    }
    tok.text.append(line);
    tok.text.push_back('\n');
  }
  return tok;
}

Result<Token> Lexer::LexNumber() {
  Token tok;
  tok.kind = TokenKind::kNumber;
  tok.pos = Here();
  size_t start = offset_;
  if (Peek() == '-') {
    Advance();
  }
  // Take the whole run of number-ish characters, so "12abc" is one bad
  // number rather than a number followed by an identifier.
  int prev = -1;
  while (true) {
    int c = Peek();
    bool sign_in_exponent = (c == '+' || c == '-') && (prev == 'e' || prev == 'E');
    if (IsAlpha(c) || IsDigit(c) || c == '.' || c == '_' || sign_in_exponent) {
      Advance();
      prev = c;
    } else {
      break;
    }
  }
  tok.text = std::string(text_.substr(start, offset_ - start));
  if (!ValidNumber(tok.text, &tok.is_float)) {
    return Error(tok.pos, "invalid number " + Quote(tok.text));
  }
  const char* first = tok.text.data();
  const char* last = first + tok.text.size();
  if (tok.is_float) {
    auto [ptr, ec] = std::from_chars(first, last, tok.double_value);
    if (ec != std::errc() || ptr != last || !std::isfinite(tok.double_value)) {
      return Error(tok.pos, "number out of range: " + Quote(tok.text));
    }
  } else {
    auto [ptr, ec] = std::from_chars(first, last, tok.int_value);
    if (ec != std::errc() || ptr != last) {
      return Error(tok.pos, "number out of range: " + Quote(tok.text) +
                                " does not fit in a 64-bit integer");
    }
  }
  return tok;
}

Token Lexer::LexIdent() {
  Token tok;
  tok.kind = TokenKind::kIdent;
  tok.pos = Here();
  size_t start = offset_;
  while (IsIdentChar(Peek())) {
    Advance();
  }
  tok.text = std::string(text_.substr(start, offset_ - start));
  return tok;
}

}  // namespace coffer::hcl
