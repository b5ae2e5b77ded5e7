#include "cli/hcl_format.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdint>
#include <vector>

#include "hcl/ast.h"
#include "hcl/parser.h"

namespace coffer::cli {

namespace {

using hcl::Value;

constexpr size_t kNoLine = SIZE_MAX;

struct Comment {
  size_t line = 0;
  size_t column = 0;
  std::string text;  // as written, "# ...", "// ..." or "/* ... */"
  bool standalone = false;  // nothing but spaces before it on its line
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// ScanComments finds the comments of an HCL source that already parsed, so
// strings and heredocs are well formed.
std::vector<Comment> ScanComments(std::string_view s) {
  std::vector<Comment> out;
  size_t i = 0;
  size_t line = 1;
  size_t line_start = 0;
  auto only_spaces_before = [&](size_t at) {
    for (size_t k = line_start; k < at; ++k) {
      if (!IsSpace(s[k])) {
        return false;
      }
    }
    return true;
  };
  while (i < s.size()) {
    const char c = s[i];
    if (c == '\n') {
      ++line;
      line_start = ++i;
      continue;
    }
    if (c == '"') {
      for (++i; i < s.size() && s[i] != '"' && s[i] != '\n'; ++i) {
        if (s[i] == '\\') {
          ++i;
        }
      }
      ++i;
      continue;
    }
    if (c == '<' && i + 2 < s.size() && s[i + 1] == '<') {
      // Heredoc: skip to the line holding only its marker.
      size_t m = i + 2 + (s[i + 2] == '-' ? 1 : 0);
      size_t e = m;
      while (e < s.size() && s[e] != '\n' && !IsSpace(s[e])) {
        ++e;
      }
      const std::string_view marker = s.substr(m, e - m);
      i = s.find('\n', e);
      while (i != std::string_view::npos && !marker.empty()) {
        ++line;
        line_start = ++i;
        size_t end = s.find('\n', i);
        std::string_view body = s.substr(i, end == std::string_view::npos ? s.size() - i : end - i);
        while (!body.empty() && IsSpace(body.front())) {
          body.remove_prefix(1);
        }
        while (!body.empty() && IsSpace(body.back())) {
          body.remove_suffix(1);
        }
        i = end;
        if (body == marker) {
          break;
        }
      }
      if (i == std::string_view::npos) {
        break;
      }
      continue;
    }
    const bool hash = c == '#';
    const bool slashes = c == '/' && i + 1 < s.size() && s[i + 1] == '/';
    const bool block = c == '/' && i + 1 < s.size() && s[i + 1] == '*';
    if (hash || slashes || block) {
      Comment cm{line, i - line_start + 1, "", only_spaces_before(i)};
      size_t end = block ? s.find("*/", i + 2) : s.find('\n', i);
      end = end == std::string_view::npos ? s.size() : end + (block ? 2 : 0);
      cm.text = std::string(s.substr(i, end - i));
      while (!cm.text.empty() && IsSpace(cm.text.back())) {
        cm.text.pop_back();
      }
      for (size_t k = i; k < end; ++k) {
        if (s[k] == '\n') {
          ++line;
          line_start = k + 1;
        }
      }
      out.push_back(std::move(cm));
      i = end;
      continue;
    }
    ++i;
  }
  return out;
}

bool IsIdentifier(const std::string& s) {
  if (s.empty()) {
    return false;
  }
  auto ok = [](char c, bool first) {
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool rest = (c >= '0' && c <= '9') || c == '-' || c == '.';
    return alpha || (!first && rest);
  };
  for (size_t i = 0; i < s.size(); ++i) {
    if (!ok(s[i], i == 0)) {
      return false;
    }
  }
  return s != "true" && s != "false" && s != "null";
}

std::string QuoteString(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  return out + "\"";
}

std::string Key(const std::string& k) { return IsIdentifier(k) ? k : QuoteString(k); }

bool IsScalar(const Value& v) { return !v.is_list() && !v.is_object(); }

class Printer {
 public:
  Printer(std::string_view source, std::vector<Comment> comments)
      : source_(source), comments_(std::move(comments)) {
    size_t start = 0;
    while (start <= source_.size()) {
      size_t end = source_.find('\n', start);
      if (end == std::string_view::npos) {
        end = source_.size();
      }
      lines_.push_back(source_.substr(start, end - start));
      start = end + 1;
    }
  }

  std::string Print(const hcl::Body& body) {
    PrintBody(body, 0, true, kNoLine, 0);
    return out_;
  }

 private:
  enum class Prev { kNone, kComment, kSingle, kMulti };

  bool LineBlank(size_t line) const {
    if (line == 0 || line > lines_.size()) {
      return false;
    }
    for (char c : lines_[line - 1]) {
      if (!IsSpace(c)) {
        return false;
      }
    }
    return true;
  }

  const Comment* NextComment() const {
    return next_ < comments_.size() ? &comments_[next_] : nullptr;
  }

  void Separate(size_t line, Prev prev, bool item, bool multi, bool top) {
    if (prev == Prev::kNone) {
      return;
    }
    bool blank = LineBlank(line - 1);
    if (top && item && (prev == Prev::kSingle || prev == Prev::kMulti) &&
        (prev == Prev::kMulti || multi)) {
      blank = true;
    }
    if (blank) {
      out_ += "\n";
    }
  }

  void EmitComment(const Comment& c, int indent, Prev* prev, bool top) {
    Separate(c.line, *prev, false, false, top);
    out_ += std::string(indent, ' ') + c.text + "\n";
    *prev = Prev::kComment;
    ++next_;
  }

  // TrailingComment takes a comment that ends `line` after code.
  std::string TrailingComment(size_t line) {
    const Comment* c = NextComment();
    if (c == nullptr || c->line != line || c->standalone) {
      return "";
    }
    ++next_;
    return " " + c->text;
  }

  std::string RenderValue(const Value& v, int indent) const {
    switch (v.kind()) {
      case Value::Kind::kNull:
        return "null";
      case Value::Kind::kBool:
        return v.as_bool() ? "true" : "false";
      case Value::Kind::kInt:
        return std::to_string(v.as_int());
      case Value::Kind::kDouble: {
        char buf[64];
        auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v.as_double());
        std::string text = ec == std::errc() ? std::string(buf, end) : "0";
        if (text.find_first_of(".eEn") == std::string::npos) {
          text += ".0";  // keep it a float when re-read
        }
        return text;
      }
      case Value::Kind::kString:
        return QuoteString(v.as_string());
      case Value::Kind::kList:
        return RenderList(v, indent);
      case Value::Kind::kObject:
        return RenderObject(v, indent);
    }
    return "null";
  }

  std::string RenderList(const Value& v, int indent) const {
    const auto& items = v.as_list();
    if (items.empty()) {
      return "[]";
    }
    bool one_line = true;
    for (const auto& item : items) {
      one_line = one_line && IsScalar(item) && item.pos().line == v.pos().line;
    }
    if (one_line) {
      std::string out = "[";
      for (size_t i = 0; i < items.size(); ++i) {
        out += (i == 0 ? "" : ", ") + RenderValue(items[i], indent);
      }
      return out + "]";
    }
    std::string out = "[\n";
    for (const auto& item : items) {
      out += std::string(indent + 2, ' ') + RenderValue(item, indent + 2) + ",\n";
    }
    return out + std::string(indent, ' ') + "]";
  }

  std::string RenderObject(const Value& v, int indent) const {
    const auto& entries = v.as_object();
    if (entries.empty()) {
      return "{}";
    }
    size_t width = 0;
    for (const auto& e : entries) {
      width = std::max(width, QuoteString(e.key).size());
    }
    std::string out = "{\n";
    for (const auto& e : entries) {
      const std::string key = QuoteString(e.key);
      const std::string value = RenderValue(e.value, indent + 2);
      const bool single = value.find('\n') == std::string::npos;
      out += std::string(indent + 2, ' ') + key +
             std::string(single ? width - key.size() : 0, ' ') + " = " + value + "\n";
    }
    return out + std::string(indent, ' ') + "}";
  }

  // AlignWidths gives each attribute of a nested body the key width of its
  // run of adjacent single-line attributes, as HCL's printer aligns them.
  std::vector<size_t> AlignWidths(const hcl::Body& body, int indent, bool top) const {
    std::vector<size_t> widths(body.items.size(), 0);
    size_t run_start = 0;
    auto close_run = [&](size_t end) {
      size_t width = 0;
      for (size_t k = run_start; k < end; ++k) {
        width = std::max(width, Key(body.items[k].key()).size());
      }
      for (size_t k = run_start; k < end; ++k) {
        widths[k] = width;
      }
    };
    for (size_t i = 0; i < body.items.size(); ++i) {
      const hcl::Attribute* a = body.items[i].attribute();
      const bool single =
          a != nullptr && !top &&
          RenderValue(a->value, indent).find('\n') == std::string::npos;
      const bool continues = i > 0 && single && widths[i - 1] != kNoLine &&
                             body.items[i].pos().line == body.items[i - 1].pos().line + 1 &&
                             !CommentBetween(body.items[i - 1].pos().line, body.items[i].pos().line);
      if (!continues) {
        close_run(i);
        run_start = i;
      }
      if (!single) {
        close_run(i);
        widths[i] = kNoLine;
        run_start = i + 1;
      }
    }
    close_run(body.items.size());
    for (auto& w : widths) {
      w = w == kNoLine ? 0 : w;
    }
    return widths;
  }

  bool CommentBetween(size_t after, size_t before) const {
    for (size_t k = next_; k < comments_.size(); ++k) {
      if (comments_[k].line > after && comments_[k].line < before && comments_[k].standalone) {
        return true;
      }
    }
    return false;
  }

  void PrintBody(const hcl::Body& body, int indent, bool top, size_t end_line,
                 size_t block_column) {
    const std::vector<size_t> widths = AlignWidths(body, indent, top);
    Prev prev = Prev::kNone;
    const std::string pad(indent, ' ');
    for (size_t i = 0; i < body.items.size(); ++i) {
      const hcl::Item& item = body.items[i];
      const size_t line = item.pos().line;
      while (NextComment() != nullptr && NextComment()->line < line) {
        EmitComment(*NextComment(), indent, &prev, top);
      }
      const size_t next_line = i + 1 < body.items.size() ? body.items[i + 1].pos().line : end_line;
      if (const hcl::Attribute* a = item.attribute()) {
        const std::string key = Key(a->key);
        const std::string value = RenderValue(a->value, indent);
        const bool multi = value.find('\n') != std::string::npos;
        Separate(line, prev, true, multi, top);
        const size_t width = std::max(widths[i], key.size());
        out_ += pad + key + std::string(width - key.size(), ' ') + " = " + value;
        out_ += multi ? "" : TrailingComment(line);
        out_ += "\n";
        prev = multi ? Prev::kMulti : Prev::kSingle;
        continue;
      }
      const hcl::Block& b = *item.block();
      std::string header = Key(b.type);
      for (const auto& label : b.labels) {
        header += " " + QuoteString(label.value);
      }
      // The block's contents go to a buffer first: an empty one prints
      // as "{}" on the header line.
      std::string saved;
      saved.swap(out_);
      const std::string trailing = TrailingComment(line);
      PrintBody(b.body, indent + 2, false, next_line, b.pos.column);
      std::string inner;
      inner.swap(out_);
      out_.swap(saved);
      const bool multi = !inner.empty() || !trailing.empty();
      Separate(line, prev, true, multi, top);
      if (multi) {
        out_ += pad + header + " {" + trailing + "\n" + inner + pad + "}\n";
      } else {
        out_ += pad + header + " {}\n";
      }
      prev = multi ? Prev::kMulti : Prev::kSingle;
    }
    // Comments before the closing brace, indented deeper than the block.
    while (NextComment() != nullptr &&
           (top || (NextComment()->line < end_line && NextComment()->column > block_column))) {
      EmitComment(*NextComment(), indent, &prev, top);
    }
  }

  std::string_view source_;
  std::vector<std::string_view> lines_;
  std::vector<Comment> comments_;
  size_t next_ = 0;
  std::string out_;
};

}  // namespace

Result<std::string> FormatHcl(std::string_view text, std::string_view filename) {
  COFFER_ASSIGN_OR_RETURN(hcl::Body body, hcl::ParseHcl(text, filename));
  Printer printer(text, ScanComments(text));
  return printer.Print(body);
}

}  // namespace coffer::cli
