// Lexer turns HCL source bytes into tokens for hcl/parser.
//
// It decodes what is token-local (string escapes, heredoc bodies, numbers) so
// the parser deals only in structure. Every read is bounds-checked: the input
// is untrusted (config files, policies sent over the API) and the lexer must
// return an error, never crash or read past the end, whatever the bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "hcl/ast.h"

namespace coffer::hcl {

enum class TokenKind {
  kEof,
  kNewline,  // significant in HCL: it ends an attribute
  kComma,
  kEquals,
  kColon,
  kLBrace,
  kRBrace,
  kLBracket,
  kRBracket,
  kIdent,    // text = the identifier
  kString,   // text = the decoded contents of a quoted string
  kHeredoc,  // text = the decoded heredoc body
  kNumber,   // is_float selects int_value or double_value; text = the source
};

struct Token {
  TokenKind kind = TokenKind::kEof;
  Position pos;
  std::string text;
  bool is_float = false;
  int64_t int_value = 0;
  double double_value = 0;
};

// Describe renders a token for error messages, e.g. `identifier "foo"`,
// `'}'`, `end of file`. Quoted text is shortened and escaped.
std::string Describe(const Token& tok);

class Lexer {
 public:
  // The lexer keeps views of `text` and `filename`; both must outlive it.
  // With newline_tokens false (JSON), newlines are plain whitespace.
  Lexer(std::string_view text, std::string_view filename, bool newline_tokens);

  // Next returns the next token, kEof forever once the input is consumed, or
  // InvalidArgument "<file>:<line>:<col>: ..." for malformed input.
  Result<Token> Next();

 private:
  // AtEnd reports whether the byte `ahead` positions on is past the input.
  bool AtEnd(size_t ahead = 0) const;
  // Peek returns the byte `ahead` positions on, or -1 past the end.
  int Peek(size_t ahead = 0) const;
  void Advance();
  // AdvanceInLine skips n bytes that the caller knows hold no newline.
  void AdvanceInLine(size_t n);
  Position Here() const { return pos_; }
  Status Error(Position pos, std::string_view message) const;

  // SkipTrivia skips spaces and comments. It sets *newline_in_comment when a
  // block comment spanned lines, since that still separates attributes.
  Status SkipTrivia(bool* newline_in_comment);
  Result<Token> LexString();
  Status LexEscape(std::string* out);
  Result<Token> LexHeredoc();
  Result<Token> LexNumber();
  Token LexIdent();

  std::string_view text_;
  std::string_view filename_;
  const bool newline_tokens_;
  size_t offset_ = 0;
  Position pos_;
};

}  // namespace coffer::hcl
