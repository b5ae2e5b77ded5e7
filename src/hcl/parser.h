// Parser for the data subset of HCL that configs and ACL policies use.
//
// Grammar (newlines are significant between items, free inside [ ] lists):
//   body      = { item ( NEWLINE | "," ) }
//   item      = key "=" value                        attribute
//             | key { label } "{" body "}"           block
//   key       = IDENT | STRING          IDENT: letters, digits, _ - . (not first: digit - .)
//   label     = IDENT | STRING
//   value     = STRING | HEREDOC | NUMBER | "true" | "false" | "null"
//             | "[" [ value { "," value } [ "," ] ] "]"
//             | "{" [ entry { ( "," | NEWLINE ) entry } ] "}"
//   entry     = key ( "=" | ":" ) value
// Comments: `# ...`, `// ...`, `/* ... */`. Strings take the escapes
// \n \t \r \b \f \" \\ \/ \uXXXX \UXXXXXXXX. Heredocs: `<<EOF` ... `EOF`, and `<<-EOF`,
// which strips the common indentation. Interpolation (`${...}`) is not
// evaluated: such text stays in the string as written.
//
// A key must not repeat as an attribute in one body, nor in one object;
// blocks of the same type may repeat. Nesting of blocks, lists and objects
// is capped at kMaxDepth so hostile input cannot exhaust the stack.
#pragma once

#include <cstddef>
#include <string_view>

#include "base/status.h"
#include "hcl/ast.h"

namespace coffer::hcl {

inline constexpr size_t kMaxDepth = 100;

// ParseHcl parses an HCL document. `filename` is used in messages only.
// On failure it returns InvalidArgument "<filename>:<line>:<col>: <what>".
// It never reads outside `text`, for any bytes.
Result<Body> ParseHcl(std::string_view text, std::string_view filename);

// ParseJsonValue parses `text` as one value with newlines as whitespace: the
// form of a JSON document. It is what hcl/json_to_hcl uses to recover source
// positions; on its own it is more lenient than JSON (it also takes HCL
// values), so callers wanting strict JSON validate first.
Result<Value> ParseJsonValue(std::string_view text, std::string_view filename);

}  // namespace coffer::hcl
