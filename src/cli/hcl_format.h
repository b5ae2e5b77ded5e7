// FormatHcl: rewrites an HCL document (an ACL policy) in canonical layout,
// as `vault policy fmt` does with HCL's printer: two-space indentation,
// "key = value" with the '=' of neighbouring single-line attributes aligned
// inside blocks, one blank line between top-level blocks, quoted block
// labels, lists kept on one line when they were written on one line.
//
// Our HCL parser keeps no comments, so the formatter finds them in the
// source itself (skipping strings and heredocs) and puts them back: a
// comment on its own line goes before the item that follows it, one at the
// end of an attribute's or a block header's line stays there, and one
// before a block's closing brace stays inside the block. Heredocs come out
// as quoted strings.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace coffer::cli {

// FormatHcl returns `text` formatted; InvalidArgument
// "<filename>:<line>:<col>: ..." when it does not parse.
Result<std::string> FormatHcl(std::string_view text, std::string_view filename);

}  // namespace coffer::cli
