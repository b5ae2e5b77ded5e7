// Reading JSON documents into the HCL syntax tree (hcl/ast.h), following
// HCL's JSON convention, so a config or policy may be written in either.
//
// In JSON a block and an attribute whose value is an object look the same,
// so, as in HCL's own JSON reader, the caller's schema decides: BlockSchema
// names each key that is a block and how many labels it takes. For a block
// key with N labels, the JSON value nests N objects whose keys are the labels
// and then the block's body; at any level an array of objects stands for
// several blocks. With {"storage": 1, "listener": 1}:
//
//   {"storage": {"lmdb": {"path": "/d"}}}      storage "lmdb" { path = "/d" }
//   {"listener": [{"tcp": {...}}, {"tcp": {...}}]}       two listener "tcp" blocks
//   {"listener": {"tcp": [{...}, {...}]}}                the same
//
// Every other key becomes an attribute, its object value staying a Value
// object. The schema applies at every depth.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "base/status.h"
#include "hcl/ast.h"

namespace coffer::hcl {

// BlockSchema maps a block type to its number of labels.
using BlockSchema = std::map<std::string, size_t, std::less<>>;

// ParseJson validates `text` as strict JSON (nlohmann), then reads it with
// source positions into a Body under `schema`. The document must be an
// object; duplicate keys are rejected. Errors are InvalidArgument
// "<filename>:<line>:<col>: <what>".
Result<Body> ParseJson(std::string_view text, std::string_view filename, const BlockSchema& schema);

// BodyFromJson converts an already-parsed JSON object. nlohmann keeps no
// source positions, so every position is 1:1; prefer ParseJson for text.
Result<Body> BodyFromJson(const nlohmann::json& doc, std::string_view filename,
                          const BlockSchema& schema);

// BodyFromObject converts an object Value (as from ParseJsonValue) under
// `schema`, keeping the positions it carries.
Result<Body> BodyFromObject(const Value& object, std::string_view filename,
                            const BlockSchema& schema);

}  // namespace coffer::hcl
