#include "base/compact_json.h"

#include <charconv>

namespace coffer {

namespace {

using nlohmann::json;

// Bytes JSON requires escaped, plus every non-ASCII byte (so nlohmann
// decides how to treat possibly invalid UTF-8).
bool NeedsCare(unsigned char c) { return c < 0x20 || c == '"' || c == '\\' || c >= 0x80; }

void AppendEscapedAscii(std::string* out, const std::string& s) {
  static constexpr char kHex[] = "0123456789abcdef";
  size_t run = 0;  // start of the run of bytes copied as they are
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (!NeedsCare(c)) {
      continue;
    }
    out->append(s, run, i - run);
    run = i + 1;
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
  out->append(s, run, s.size() - run);
}

void AppendString(std::string* out, const std::string& s) {
  for (char ch : s) {
    if (static_cast<unsigned char>(ch) >= 0x80) {
      out->append(json(s).dump(-1, ' ', false, json::error_handler_t::replace));
      return;
    }
  }
  out->push_back('"');
  AppendEscapedAscii(out, s);
  out->push_back('"');
}

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
        AppendString(out, it.key());
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
        AppendString(out, s);
      } else {
        std::string scratch;
        AppendString(out, rewrite->Rewrite(s, &scratch));
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
