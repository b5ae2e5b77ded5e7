// Encoded JSON is JSON text written by AppendCompactJson (or nlohmann's
// compact dump) and not changed since: compact, valid UTF-8, keys in
// order. An engine serving JSON it stored itself hands such text on as it
// is, instead of parsing it into a document only to encode it again; these
// functions write it into the documents around it.
//
// They never read outside `encoded` and never fail. Text that is not
// encoded JSON gives unspecified (but memory-safe) output, and a rewriter
// still sees every string value, so a hashing rewriter never lets one
// through in the clear.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/compact_json.h"

namespace coffer {

// AppendEncodedJson writes `encoded` with every string value (not object
// keys) passed through `rewrite`: the bytes of parsing it and writing the
// result with AppendCompactJson(out, parsed, *rewrite). With no rewriter
// it is a copy.
void AppendEncodedJson(std::string* out, std::string_view encoded,
                       const StringValueRewriter* rewrite);

// AppendObjectWithEncodedMember writes `object` (a JSON object) with one
// more member, `name`, whose value is `encoded`, at its place in key order
// (it replaces a member of that name): the bytes AppendCompactJson writes
// for the object holding the parsed member. `rewrite` (null: none) applies
// to the string values of both.
void AppendObjectWithEncodedMember(std::string* out, const nlohmann::json& object,
                                   std::string_view name, std::string_view encoded,
                                   const StringValueRewriter* rewrite);
// The same with one rewriter for the object's other members and another
// for the encoded member (null: none, e.g. when `encoded` is the output of
// AppendEncodedJson with that rewriter already).
void AppendObjectWithEncodedMember(std::string* out, const nlohmann::json& object,
                                   std::string_view name, std::string_view encoded,
                                   const StringValueRewriter* rewrite_others,
                                   const StringValueRewriter* rewrite_member);

// EncodedValueSize is the length of the object or array that `encoded`
// starts with (brackets matched outside strings), or npos when it does not
// start with one or ends before it closes.
size_t EncodedValueSize(std::string_view encoded);

// WithEncodedMember is `object` with the member parsed in, for code that
// wants the whole document; text that does not parse becomes null.
nlohmann::json WithEncodedMember(const nlohmann::json& object, std::string_view name,
                                 std::string_view encoded);

}  // namespace coffer
