#include "base/encoded_json.h"

namespace coffer {

namespace {

using nlohmann::json;

// EndOfString is the index just past the string token starting at `open`
// (a '"'), or encoded.size() when it is not terminated.
size_t EndOfString(std::string_view encoded, size_t open) {
  size_t i = open + 1;
  while (i < encoded.size()) {
    const char c = encoded[i];
    if (c == '\\') {
      i += 2;
      continue;
    }
    ++i;
    if (c == '"') {
      return i;
    }
  }
  return encoded.size();
}

// Unescape sets `*value` to the string a string token stands for. Tokens
// without escapes (nearly all) are their bytes between the quotes; the
// rest are decoded by nlohmann, and a token it refuses keeps its raw bytes
// (a rewriter still sees them).
void Unescape(std::string_view token, std::string* value) {
  std::string_view inner = token.substr(1);
  if (!inner.empty() && inner.back() == '"') {
    inner.remove_suffix(1);
  }
  if (inner.find('\\') != std::string_view::npos) {
    json parsed = json::parse(token, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_string()) {
      *value = std::move(parsed.get_ref<std::string&>());
      return;
    }
  }
  value->assign(inner);
}

}  // namespace

void AppendEncodedJson(std::string* out, std::string_view encoded,
                       const StringValueRewriter* rewrite) {
  if (rewrite == nullptr) {
    out->append(encoded);
    return;
  }
  std::string value;
  std::string scratch;
  size_t i = 0;
  while (i < encoded.size()) {
    const size_t quote = encoded.find('"', i);
    if (quote == std::string_view::npos) {
      out->append(encoded.substr(i));
      return;
    }
    out->append(encoded.substr(i, quote - i));
    const size_t end = EndOfString(encoded, quote);
    const std::string_view token = encoded.substr(quote, end - quote);
    // In compact JSON a key, and only a key, is followed by ':'.
    if (end < encoded.size() && encoded[end] == ':') {
      out->append(token);
    } else {
      Unescape(token, &value);
      AppendJsonString(out, rewrite->Rewrite(value, &scratch));
    }
    i = end;
  }
}

void AppendObjectWithEncodedMember(std::string* out, const json& object, std::string_view name,
                                   std::string_view encoded, const StringValueRewriter* rewrite) {
  AppendObjectWithEncodedMember(out, object, name, encoded, rewrite, rewrite);
}

void AppendObjectWithEncodedMember(std::string* out, const json& object, std::string_view name,
                                   std::string_view encoded,
                                   const StringValueRewriter* rewrite_others,
                                   const StringValueRewriter* rewrite_member) {
  out->push_back('{');
  bool first = true;
  bool placed = false;
  auto place = [&] {
    if (!first) {
      out->push_back(',');
    }
    first = false;
    AppendJsonString(out, name);
    out->push_back(':');
    AppendEncodedJson(out, encoded, rewrite_member);
    placed = true;
  };
  if (object.is_object()) {
    for (auto it = object.begin(); it != object.end(); ++it) {
      const std::string& key = it.key();
      if (!placed && std::string_view(key) >= name) {
        place();
      }
      if (key == name) {
        continue;
      }
      if (!first) {
        out->push_back(',');
      }
      first = false;
      AppendJsonString(out, key);
      out->push_back(':');
      if (rewrite_others == nullptr) {
        AppendCompactJson(out, it.value());
      } else {
        AppendCompactJson(out, it.value(), *rewrite_others);
      }
    }
  }
  if (!placed) {
    place();
  }
  out->push_back('}');
}

size_t EncodedValueSize(std::string_view encoded) {
  if (encoded.empty() || (encoded[0] != '{' && encoded[0] != '[')) {
    return std::string_view::npos;
  }
  size_t depth = 0;
  size_t i = 0;
  while (i < encoded.size()) {
    const char c = encoded[i];
    if (c == '"') {
      i = EndOfString(encoded, i);
      continue;
    }
    ++i;
    if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && --depth == 0) {
      return i;
    }
  }
  return std::string_view::npos;
}

json WithEncodedMember(const json& object, std::string_view name, std::string_view encoded) {
  json whole = object.is_object() ? object : json::object();
  json member = json::parse(encoded, nullptr, /*allow_exceptions=*/false);
  whole[std::string(name)] = member.is_discarded() ? json() : std::move(member);
  return whole;
}

}  // namespace coffer
