#include "audit/line_format.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <vector>

#include "base/compact_json.h"

namespace coffer::audit {

namespace {

using nlohmann::json;

constexpr std::string_view kXmlDeclaration = R"(<?xml version="1.0" encoding="UTF-8"?>)";
constexpr std::string_view kJsonxRootOpen =
    R"(<json:object xmlns:json="http://www.ibm.com/xmlns/prod/2009/jsonx">)";
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
// How many '{' ParseLine tries as the start of a JSON entry.
constexpr int kJsonPrefixAttempts = 4;

// ---------------------------------------------------------------------------
// Writing JSONx.

// Utf8SequenceLength returns the length of the well-formed UTF-8 sequence at
// the start of `s`, or 0 when it is not one (bad lead byte, missing or bad
// continuation, overlong form, surrogate, beyond U+10FFFF).
size_t Utf8SequenceLength(std::string_view s) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const auto cont = [&](size_t i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return i < s.size() && byte(i) >= lo && byte(i) <= hi;
  };
  const unsigned char b = byte(0);
  if (b < 0x80) {
    return 1;
  }
  if (b >= 0xC2 && b <= 0xDF) {
    return cont(1) ? 2 : 0;
  }
  if (b >= 0xE0 && b <= 0xEF) {
    const unsigned char lo = b == 0xE0 ? 0xA0 : 0x80;
    const unsigned char hi = b == 0xED ? 0x9F : 0xBF;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (b >= 0xF0 && b <= 0xF4) {
    const unsigned char lo = b == 0xF0 ? 0x90 : 0x80;
    const unsigned char hi = b == 0xF4 ? 0x8F : 0xBF;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

// AppendXmlEscaped appends `s` as XML text or attribute value: the five
// special characters as entities, tab/newline/carriage return as character
// references (so the line stays one line), and anything XML 1.0 cannot
// carry (other control characters, U+FFFE/U+FFFF, invalid UTF-8) as U+FFFD.
void AppendXmlEscaped(std::string* out, std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    switch (c) {
      case '&': *out += "&amp;"; ++i; continue;
      case '<': *out += "&lt;"; ++i; continue;
      case '>': *out += "&gt;"; ++i; continue;
      case '"': *out += "&quot;"; ++i; continue;
      case '\'': *out += "&apos;"; ++i; continue;
      case '\n': *out += "&#10;"; ++i; continue;
      case '\r': *out += "&#13;"; ++i; continue;
      case '\t': *out += "&#9;"; ++i; continue;
      default: break;
    }
    const size_t n = Utf8SequenceLength(s.substr(i));
    if (n == 0 || static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      *out += kReplacement;
      i += n == 0 ? 1 : n;
      continue;
    }
    const std::string_view seq = s.substr(i, n);
    if (seq == "\xEF\xBF\xBE" || seq == "\xEF\xBF\xBF") {
      *out += kReplacement;
    } else {
      *out += seq;
    }
    i += n;
  }
}

std::string_view JsonxTag(const json& v) {
  switch (v.type()) {
    case json::value_t::object: return "json:object";
    case json::value_t::array: return "json:array";
    case json::value_t::string: return "json:string";
    case json::value_t::boolean: return "json:boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "json:number";
    case json::value_t::number_float:
      // JSON has no NaN or infinity; dump() writes them as null too.
      return std::isfinite(v.get<double>()) ? "json:number" : "json:null";
    default: return "json:null";  // null, binary, discarded
  }
}

// AppendJsonx appends `v` as one JSONx element. `attributes` is the text
// after the tag name (" name=\"...\"", the namespace for the root, or "").
void AppendJsonx(std::string* out, const json& v, const std::string& attributes) {
  const std::string_view tag = JsonxTag(v);
  *out += '<';
  *out += tag;
  *out += attributes;
  if (tag == "json:null") {
    *out += " />";
    return;
  }
  *out += '>';
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) {
      std::string name = " name=\"";
      AppendXmlEscaped(&name, it.key());
      name += '"';
      AppendJsonx(out, it.value(), name);
    }
  } else if (v.is_array()) {
    for (const auto& element : v) {
      AppendJsonx(out, element, "");
    }
  } else if (v.is_string()) {
    AppendXmlEscaped(out, v.get_ref<const std::string&>());
  } else {
    *out += v.dump();  // numbers and booleans
  }
  *out += "</";
  *out += tag;
  *out += '>';
}

// ---------------------------------------------------------------------------
// Reading lines.

bool IsHex64(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::optional<uint64_t> ParseUnsigned(std::string_view s) {
  uint64_t v = 0;
  if (s.empty() || s.size() > 20 ||
      !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) {
    return std::nullopt;
  }
  return v;
}

// Optional string member: absent is "", present but not a string is an error.
// ReadStringMember copies a top-level string member; one that is absent or
// not a string reads as "", as in JSONx, where only json:string counts.
void ReadStringMember(const json& object, const char* key, std::string* out) {
  auto it = object.find(key);
  if (it != object.end() && it->is_string()) {
    *out = it->get<std::string>();
  }
}

std::optional<ParsedLine> ParseJsonBody(std::string_view text) {
  const json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) {
    return std::nullopt;  // includes "discarded", the parse-error value
  }
  auto chain = doc.find("chain");
  if (chain == doc.end() || !chain->is_object()) {
    return std::nullopt;
  }
  auto seq = chain->find("seq");
  auto prev = chain->find("prev");
  if (seq == chain->end() || !seq->is_number_unsigned() || prev == chain->end() ||
      !prev->is_string() || !IsHex64(prev->get_ref<const std::string&>())) {
    return std::nullopt;
  }
  ParsedLine out;
  out.link.seq = seq->get<uint64_t>();
  out.link.prev = prev->get<std::string>();
  ReadStringMember(doc, "type", &out.type);
  ReadStringMember(doc, "hmac", &out.hmac);
  ReadStringMember(doc, "genesis", &out.genesis);
  return out;
}

void AppendUtf8(std::string* out, uint32_t cp) {
  if (cp < 0x80) {
    *out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out += static_cast<char>(0xC0 | (cp >> 6));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out += static_cast<char>(0xE0 | (cp >> 12));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out += static_cast<char>(0xF0 | (cp >> 18));
    *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// XmlUnescape reverses AppendXmlEscaped (and accepts any numeric
// character reference); nullopt for an unknown or malformed entity.
std::optional<std::string> XmlUnescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] != '&') {
      out += s[i++];
      continue;
    }
    const size_t semi = s.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
      return std::nullopt;
    }
    const std::string_view entity = s.substr(i + 1, semi - i - 1);
    i = semi + 1;
    if (entity == "amp") {
      out += '&';
    } else if (entity == "lt") {
      out += '<';
    } else if (entity == "gt") {
      out += '>';
    } else if (entity == "quot") {
      out += '"';
    } else if (entity == "apos") {
      out += '\'';
    } else if (entity.size() >= 2 && entity[0] == '#') {
      const bool hex = entity[1] == 'x';
      const std::string_view digits = entity.substr(hex ? 2 : 1);
      uint32_t cp = 0;
      auto [end, ec] =
          std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
      if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() ||
          cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return std::nullopt;
      }
      AppendUtf8(&out, cp);
    } else {
      return std::nullopt;
    }
  }
  return out;
}

bool IsJsonxElement(std::string_view tag) {
  return tag == "json:object" || tag == "json:array" || tag == "json:string" ||
         tag == "json:number" || tag == "json:boolean" || tag == "json:null";
}

// JsonxTagInfo is one parsed start tag: its element name and its "name"
// attribute (unescaped; empty when absent).
struct JsonxTagInfo {
  std::string element;
  std::string name;
  bool self_closing = false;
};

// ParseStartTag parses the inside of "<...>" (without the brackets).
std::optional<JsonxTagInfo> ParseStartTag(std::string_view inside) {
  JsonxTagInfo info;
  if (!inside.empty() && inside.back() == '/') {
    info.self_closing = true;
    inside.remove_suffix(1);
  }
  size_t i = inside.find_first_of(" \t");
  info.element = std::string(inside.substr(0, i));
  if (!IsJsonxElement(info.element)) {
    return std::nullopt;
  }
  while (i != std::string_view::npos && i < inside.size()) {
    i = inside.find_first_not_of(" \t", i);
    if (i == std::string_view::npos) {
      break;
    }
    const size_t eq = inside.find('=', i);
    if (eq == std::string_view::npos || eq + 1 >= inside.size() || inside[eq + 1] != '"') {
      return std::nullopt;
    }
    const size_t close = inside.find('"', eq + 2);
    if (close == std::string_view::npos) {
      return std::nullopt;
    }
    const std::string_view key = inside.substr(i, eq - i);
    auto value = XmlUnescape(inside.substr(eq + 2, close - eq - 2));
    if (!value) {
      return std::nullopt;
    }
    if (key == "name") {
      info.name = std::move(*value);
    }
    i = close + 1;
  }
  return info;
}

// ParseJsonxBody walks the elements of one JSONx document (as FormatEntry
// writes it: no whitespace between elements, text only inside leaves) and
// picks the chain's seq and prev and the top-level type, hmac and genesis.
std::optional<ParsedLine> ParseJsonxBody(std::string_view s) {
  size_t pos = 0;
  if (s.substr(0, 5) == "<?xml") {
    pos = s.find("?>");
    if (pos == std::string_view::npos) {
      return std::nullopt;
    }
    pos += 2;
  }
  struct Frame {
    std::string element;
    std::string name;
  };
  std::vector<Frame> stack;
  bool root_done = false;
  std::optional<uint64_t> seq;
  std::optional<std::string> prev;
  int chains = 0;
  ParsedLine out;
  while (pos < s.size()) {
    if (s[pos] != '<') {
      if (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\r') {
        ++pos;
        continue;
      }
      return std::nullopt;  // text outside a leaf
    }
    if (root_done) {
      return std::nullopt;  // a second root
    }
    const size_t gt = s.find('>', pos);
    if (gt == std::string_view::npos) {
      return std::nullopt;
    }
    const std::string_view inside = s.substr(pos + 1, gt - pos - 1);
    pos = gt + 1;
    if (!inside.empty() && inside[0] == '/') {
      if (stack.empty() || stack.back().element != inside.substr(1)) {
        return std::nullopt;
      }
      stack.pop_back();
      root_done = stack.empty();
      continue;
    }
    auto tag = ParseStartTag(inside);
    if (!tag || (stack.empty() && tag->element != "json:object")) {
      return std::nullopt;
    }
    if (tag->self_closing) {
      if (stack.empty()) {
        root_done = true;
      }
      continue;
    }
    if (tag->element == "json:object" || tag->element == "json:array") {
      const bool is_chain = stack.size() == 1 && tag->element == "json:object" &&
                            tag->name == "chain";
      chains += is_chain ? 1 : 0;
      stack.push_back({tag->element, tag->name});
      continue;
    }
    // A leaf: its text runs to its end tag.
    const size_t lt = s.find('<', pos);
    const std::string end_tag = "</" + tag->element + ">";
    if (lt == std::string_view::npos || s.substr(lt, end_tag.size()) != end_tag ||
        stack.empty()) {
      return std::nullopt;
    }
    auto text = XmlUnescape(s.substr(pos, lt - pos));
    if (!text) {
      return std::nullopt;
    }
    pos = lt + end_tag.size();
    const bool is_string = tag->element == "json:string";
    if (stack.size() == 1 && is_string) {
      if (tag->name == "type") {
        out.type = *text;
      } else if (tag->name == "hmac") {
        out.hmac = *text;
      } else if (tag->name == "genesis") {
        out.genesis = *text;
      }
    } else if (stack.size() == 2 && stack[1].name == "chain" &&
               stack[1].element == "json:object") {
      if (tag->name == "seq" && tag->element == "json:number") {
        seq = ParseUnsigned(*text);
        if (!seq) {
          return std::nullopt;
        }
      } else if (tag->name == "prev" && is_string) {
        prev = std::move(*text);
      }
    }
  }
  if (!root_done || chains != 1 || !seq || !prev || !IsHex64(*prev)) {
    return std::nullopt;
  }
  out.link.seq = *seq;
  out.link.prev = std::move(*prev);
  return out;
}

}  // namespace

Result<Format> ParseFormat(std::string_view name) {
  if (name.empty() || name == "json") {
    return Format::kJson;
  }
  if (name == "jsonx") {
    return Format::kJsonx;
  }
  return Status::InvalidArgument("unsupported audit format \"" + std::string(name) +
                                 "\" (use json or jsonx)");
}

std::string FormatEntry(const nlohmann::json& entry, Format format) {
  assert(entry.is_object());
  if (format == Format::kJson) {
    // Compact; control characters come out as \uXXXX escapes, so no raw
    // '\n'. Invalid UTF-8 becomes U+FFFD instead of throwing.
    std::string out;
    out.reserve(2048);
    AppendCompactJson(&out, entry);
    return out;
  }
  std::string out(kXmlDeclaration);
  AppendJsonx(&out, entry, R"( xmlns:json="http://www.ibm.com/xmlns/prod/2009/jsonx")");
  return out;
}

std::string WithChain(std::string_view body, Format format, const ChainLink& link,
                      std::string_view prefix) {
  std::string out;
  AppendWithChain(&out, body, format, link, prefix);
  return out;
}

void AppendWithChain(std::string* out, std::string_view body, Format format,
                     const ChainLink& link, std::string_view prefix) {
  *out += prefix;
  char seq[24];
  const auto [seq_end, ec] = std::to_chars(seq, seq + sizeof(seq), link.seq);
  (void)ec;  // 24 bytes hold any 64-bit integer
  const std::string_view seq_text(seq, static_cast<size_t>(seq_end - seq));
  if (format == Format::kJson) {
    *out += R"({"chain":{"seq":)";
    *out += seq_text;
    *out += R"(,"prev":)";
    if (IsHex64(link.prev)) {
      *out += '"';  // hex needs no escaping
      *out += link.prev;
      *out += '"';
    } else {
      *out += json(link.prev).dump(-1, ' ', false, json::error_handler_t::replace);
    }
    *out += '}';
    if (body.empty() || body.front() != '{') {
      // Not an object (a caller's bug): keep the text as a member rather
      // than lose it or write a line that does not parse.
      assert(false && "WithChain: JSON body is not an object");
      *out += R"(,"body":)";
      *out += json(std::string(body)).dump(-1, ' ', false, json::error_handler_t::replace);
      *out += '}';
      return;
    }
    const std::string_view rest = body.substr(1);
    const size_t first = rest.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || rest[first] != '}') {
      *out += ',';
    }
    *out += rest;
    return;
  }
  std::string chain = R"(<json:object name="chain"><json:number name="seq">)";
  chain += seq_text;
  chain += R"(</json:number><json:string name="prev">)";
  AppendXmlEscaped(&chain, link.prev);
  chain += "</json:string></json:object>";
  const size_t root = body.find(kJsonxRootOpen);
  if (root == std::string_view::npos) {
    assert(false && "WithChain: JSONx body has no root object");
    *out += kXmlDeclaration;
    *out += kJsonxRootOpen;
    *out += chain;
    *out += R"(<json:string name="body">)";
    AppendXmlEscaped(out, body);
    *out += "</json:string></json:object>";
    return;
  }
  const size_t insert_at = root + kJsonxRootOpen.size();
  *out += body.substr(0, insert_at);
  *out += chain;
  *out += body.substr(insert_at);
}

std::optional<ParsedLine> ParseLine(std::string_view line) {
  const size_t json_at = line.find('{');
  const size_t jsonx_at = std::min(line.find("<?xml"), line.find("<json:object"));
  const auto parse_json = [&]() -> std::optional<ParsedLine> {
    // A prefix may itself hold a '{' or two ("{vault} "): try the first few.
    size_t at = json_at;
    for (int attempt = 0; attempt < kJsonPrefixAttempts && at != std::string_view::npos;
         ++attempt) {
      if (auto parsed = ParseJsonBody(line.substr(at))) {
        return parsed;
      }
      at = line.find('{', at + 1);
    }
    return std::nullopt;
  };
  const auto parse_jsonx = [&]() -> std::optional<ParsedLine> {
    return jsonx_at == std::string_view::npos ? std::nullopt
                                              : ParseJsonxBody(line.substr(jsonx_at));
  };
  if (json_at <= jsonx_at) {
    if (auto parsed = parse_json()) {
      return parsed;
    }
    return parse_jsonx();
  }
  if (auto parsed = parse_jsonx()) {
    return parsed;
  }
  return parse_json();
}

}  // namespace coffer::audit
