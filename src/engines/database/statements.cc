// SplitStatements and RenderStatement: the statement templates of database
// roles, shared by every plugin.
//
// Splitting happens before rendering (as in Vault), so a password holding a
// ';' or a quote can never change where a statement ends.
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "engines/database/plugin.h"

namespace coffer::engines::database {
namespace {

bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$';
}

// DollarTagAt returns the length of a dollar-quote delimiter ("$$" or
// "$tag$") starting at s[i], or 0. A tag cannot start with a digit, which
// keeps positional parameters ($1) from being taken for quotes, and a '$'
// inside an identifier (PostgreSQL allows "a$b") opens nothing.
size_t DollarTagAt(std::string_view s, size_t i) {
  if (s[i] != '$' || (i > 0 && IsIdentChar(s[i - 1]))) {
    return 0;
  }
  size_t j = i + 1;
  if (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])) != 0) {
    return 0;
  }
  while (j < s.size() && s[j] != '$') {
    char c = s[j];
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '_') {
      return 0;
    }
    ++j;
  }
  if (j >= s.size()) {
    return 0;
  }
  return j - i + 1;
}

// QuotedEnd returns the index just past the quoted text opening at s[i]
// with `quote`, or s.size() when it is unterminated. A doubled quote is an
// escaped quote; a backslash escapes only in PostgreSQL E'...' strings,
// because standard strings (and identifiers) take it literally.
size_t QuotedEnd(std::string_view s, size_t i, char quote, bool backslash_escapes) {
  size_t j = i + 1;
  while (j < s.size()) {
    if (backslash_escapes && s[j] == '\\') {
      j += 2;
      continue;
    }
    if (s[j] == quote) {
      if (j + 1 < s.size() && s[j + 1] == quote) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    ++j;
  }
  return s.size();
}

// Piece is one statement's text plus whether it holds anything besides
// whitespace and comments (a comment-only piece is dropped as empty).
struct Piece {
  std::string text;
  bool has_code = false;
};

void Flush(Piece& piece, std::vector<std::string>& out) {
  if (piece.has_code) {
    const std::string& t = piece.text;
    size_t b = t.find_first_not_of(" \t\r\n\f\v");
    size_t e = t.find_last_not_of(" \t\r\n\f\v");
    out.push_back(t.substr(b, e - b + 1));
  }
  piece = Piece{};
}

}  // namespace

std::vector<std::string> SplitStatements(const std::string& statements) {
  std::string_view s = statements;
  std::vector<std::string> out;
  Piece piece;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    size_t end = i + 1;  // one past the token starting at i
    bool code = std::isspace(static_cast<unsigned char>(c)) == 0;
    if (c == ';') {
      Flush(piece, out);
      ++i;
      continue;
    }
    if (c == '-' && i + 1 < s.size() && s[i + 1] == '-') {
      size_t nl = s.find('\n', i);
      end = nl == std::string_view::npos ? s.size() : nl;
      code = false;
    } else if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
      size_t close = s.find("*/", i + 2);
      end = close == std::string_view::npos ? s.size() : close + 2;
      code = false;
    } else if (c == '\'') {
      bool escape_string = i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e') &&
                           (i < 2 || !IsIdentChar(s[i - 2]));
      end = QuotedEnd(s, i, '\'', escape_string);
    } else if (c == '"' || c == '`') {
      end = QuotedEnd(s, i, c, false);
    } else if (size_t tag = DollarTagAt(s, i); tag > 0) {
      size_t close = s.find(s.substr(i, tag), i + tag);
      end = close == std::string_view::npos ? s.size() : close + tag;
    }
    piece.text.append(s.substr(i, end - i));
    piece.has_code = piece.has_code || code;
    i = end;
  }
  Flush(piece, out);
  return out;
}

std::string RenderStatement(const std::string& statement, const std::string& username,
                            const std::string& password, const std::string& expiration) {
  struct Placeholder {
    std::string_view token;
    const std::string* value;
  };
  const Placeholder placeholders[] = {
      {"{{name}}", &username},
      {"{{username}}", &username},
      {"{{password}}", &password},
      {"{{expiration}}", &expiration},
  };
  // One left-to-right pass: substituted values are never scanned again, so
  // a password that happens to contain "{{name}}" stays as it is.
  std::string out;
  out.reserve(statement.size() + password.size() + username.size());
  size_t i = 0;
  while (i < statement.size()) {
    bool replaced = false;
    if (statement.compare(i, 2, "{{") == 0) {
      for (const Placeholder& p : placeholders) {
        if (statement.compare(i, p.token.size(), p.token) == 0) {
          out += *p.value;
          i += p.token.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) {
      out += statement[i];
      ++i;
    }
  }
  return out;
}

}  // namespace coffer::engines::database
