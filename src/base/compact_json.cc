#include "base/compact_json.h"

#include <charconv>
#include <cstdint>
#include <cstring>

namespace coffer {

namespace {

using nlohmann::json;

// Bytes JSON requires escaped, plus every non-ASCII byte (so nlohmann
// decides how to treat possibly invalid UTF-8).
bool NeedsCare(unsigned char c) { return c < 0x20 || c == '"' || c == '\\' || c >= 0x80; }

// ChunkNeedsCare tells whether any of 8 bytes NeedsCare, testing all at
// once (strings are mostly long runs of plain ASCII: HMACs, paths, values).
bool ChunkNeedsCare(const char* p) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighs = 0x8080808080808080ULL;
  uint64_t v = 0;
  std::memcpy(&v, p, sizeof(v));
  const auto has_zero_byte = [](uint64_t x) { return (x - kOnes) & ~x & kHighs; };
  const uint64_t control = (v - 0x20 * kOnes) & ~v & kHighs;  // some byte < 0x20
  return ((v & kHighs) | control | has_zero_byte(v ^ ('"' * kOnes)) |
          has_zero_byte(v ^ ('\\' * kOnes))) != 0;
}

void AppendEscaped(std::string* out, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  switch (c) {
    case '"': out->append("\\\""); break;
    case '\\': out->append("\\\\"); break;
    case '\b': out->append("\\b"); break;
    case '\f': out->append("\\f"); break;
    case '\n': out->append("\\n"); break;
    case '\r': out->append("\\r"); break;
    case '\t': out->append("\\t"); break;
    default: {
      const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
      out->append(escaped, sizeof(escaped));
    }
  }
}

}  // namespace

// One pass: plain runs are copied whole, 8 bytes tested at a time.
void AppendJsonString(std::string* out, std::string_view s) {
  const size_t start = out->size();
  out->push_back('"');
  const char* p = s.data();
  const size_t n = s.size();
  size_t run = 0;  // start of the run of bytes copied as they are
  size_t i = 0;
  while (i < n) {
    if (i + 8 <= n && !ChunkNeedsCare(p + i)) {
      i += 8;
      continue;
    }
    const auto c = static_cast<unsigned char>(p[i]);
    if (!NeedsCare(c)) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      out->resize(start);
      out->append(json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace));
      return;
    }
    out->append(p + run, i - run);
    AppendEscaped(out, c);
    run = ++i;
  }
  out->append(p + run, n - run);
  out->push_back('"');
}

namespace {

template <typename Int>
void AppendInteger(std::string* out, Int v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  (void)ec;  // 24 bytes hold any 64-bit integer
  out->append(buf, end);
}

void Append(std::string* out, const json& value, const StringValueRewriter* rewrite);

}  // namespace

void AppendCompactJson(std::string* out, const json& value) { Append(out, value, nullptr); }

void AppendCompactJson(std::string* out, const json& value, const StringValueRewriter& rewrite) {
  Append(out, value, &rewrite);
}

namespace {

void Append(std::string* out, const json& value, const StringValueRewriter* rewrite) {
  switch (value.type()) {
    case json::value_t::object: {
      out->push_back('{');
      bool first = true;
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (!first) {
          out->push_back(',');
        }
        first = false;
        AppendJsonString(out, it.key());
        out->push_back(':');
        Append(out, it.value(), rewrite);
      }
      out->push_back('}');
      return;
    }
    case json::value_t::array: {
      out->push_back('[');
      bool first = true;
      for (const json& element : value) {
        if (!first) {
          out->push_back(',');
        }
        first = false;
        Append(out, element, rewrite);
      }
      out->push_back(']');
      return;
    }
    case json::value_t::string: {
      const std::string& s = value.get_ref<const std::string&>();
      if (rewrite == nullptr) {
        AppendJsonString(out, s);
      } else {
        std::string scratch;
        AppendJsonString(out, rewrite->Rewrite(s, &scratch));
      }
      return;
    }
    case json::value_t::boolean:
      out->append(value.get<bool>() ? "true" : "false");
      return;
    case json::value_t::number_integer:
      AppendInteger(out, value.get<int64_t>());
      return;
    case json::value_t::number_unsigned:
      AppendInteger(out, value.get<uint64_t>());
      return;
    case json::value_t::null:
      out->append("null");
      return;
    default:  // floats, binary, discarded: rare, and nlohmann's own format
      out->append(value.dump(-1, ' ', false, json::error_handler_t::replace));
      return;
  }
}

}  // namespace

}  // namespace coffer
