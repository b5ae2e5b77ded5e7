// Parsing "key=value" command-line data, as vault's write and kv put take
// it (go-secure-stdlib's kv-builder):
//   key=value     a string value; a repeated key collects its values in a list
//   key=@file     the file's contents, as a string
//   key=\@text    the literal "@text"
//   key=-         all of stdin, as a string
//   @file         a JSON object read from the file, merged in
//   -             a JSON object read from stdin, merged in
// Stdin may be consumed once.
#pragma once

#include <istream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace coffer::cli {

// ParseArgsData builds the request data from `args`. InvalidArgument
// "Invalid key/value pair '<arg>': <why>" for an argument without '=', an
// unreadable file, JSON that is not an object, or a second use of stdin.
Result<nlohmann::json> ParseArgsData(const std::vector<std::string>& args, std::istream& stdin_stream);

// ReadAll returns the rest of `in`.
std::string ReadAll(std::istream& in);

// ReadFile returns a file's contents; IOError naming the file otherwise.
Result<std::string> ReadFile(const std::string& path);

}  // namespace coffer::cli
