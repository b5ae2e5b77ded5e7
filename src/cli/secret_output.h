// Printing API responses the way the vault CLI does, so scripts written
// against `vault` parse coffer's output unchanged: tables built like Go's
// columnize (four-space glue, "n/a" for empty cells), values rendered like
// Go's "%v", TTL-looking fields as durations ("768h"), -field printing one
// raw value, and -format=json printing the response body.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/flags.h"

namespace coffer::cli {

// GoValue renders a JSON value as Go's fmt "%v" renders the decoded value:
// strings bare, null "<nil>", lists "[a b]", objects "map[k:v]" (sorted).
std::string GoValue(const nlohmann::json& value);

// GoQuotedList renders a list of strings as Go's "%q" does: ["a" "b"].
std::string GoQuotedList(const nlohmann::json& list);

// HumanDuration renders seconds as Go's time.Duration does, without the
// trailing zero units vault trims: 3600 -> "1h", 90 -> "1m30s", 0 -> "0s".
std::string HumanDuration(int64_t seconds);

// LooksLikeDuration reports whether vault prints the field as a duration:
// "ttl", "period", "duration", "*_ttl", "*_period", "*_duration", "lease_max",
// "ttl_max".
bool LooksLikeDuration(const std::string& key);

// CellValue is GoValue, except that an integer in a field that
// LooksLikeDuration is rendered with HumanDuration.
std::string CellValue(const std::string& key, const nlohmann::json& value);

// FormatColumns lays `lines` out as columnize does under vault's table
// helper: the first line is the header and gets a dashed underline, columns
// are padded to their widest cell and joined by four spaces (the last
// column is not padded), and empty cells print "n/a".
std::string FormatColumns(const std::vector<std::vector<std::string>>& lines);

// MapRows are the rows vault prints for a map: sorted keys, CellValue.
std::vector<std::vector<std::string>> MapRows(const nlohmann::json& object);

// KeyValueTable is FormatColumns under a "Key / Value" header; "" when
// there are no rows, as vault prints nothing then.
std::string KeyValueTable(const std::vector<std::vector<std::string>>& rows);

// SecretRows are the rows of vault's table for a whole response: lease,
// auth (token...), wrap_info (wrapping_token...) and then the data.
std::vector<std::vector<std::string>> SecretRows(const nlohmann::json& body);

// PadEqualSigns centres `header` in '=' signs to about `total` columns,
// as vault's section titles: "== Secret Path ==".
std::string PadEqualSigns(const std::string& header, size_t total);

// HeaderForMap is the section title vault prints over a map's table: wide
// enough for its longest key plus "    Value".
std::string HeaderForMap(const std::string& header, const nlohmann::json& object);

// RawField finds -field's value in a response as vault does: auth fields
// ("token", "token_accessor", ...) when the response carries auth, wrapping
// fields when it is wrapped, envelope fields ("lease_id", ...), then
// data[field]. Null when absent.
nlohmann::json RawField(const nlohmann::json& body, const std::string& field);

// OutputFormat is -format, else $VAULT_FORMAT, else "table".
std::string OutputFormat(const ParsedFlags& flags);

// CheckFormat prints an error and returns false unless the format is
// "table" or "json".
bool CheckFormat(const ParsedFlags& flags);

// PrintWarnings writes the response's warnings to stderr as vault does.
void PrintWarnings(const nlohmann::json& body);

// PrintFieldValue prints `value` for -field: "%v" in table format, JSON in
// json format. As vault, the value ends without a newline when stdout is
// not a terminal, so `$(coffer read -field=x ...)` and pipes get it exact.
// Missing (null) values print "Field "x" not present in secret" and return
// 1.
int PrintFieldValue(const ParsedFlags& flags, const std::string& field,
                    const nlohmann::json& value);

// PrintSecret prints a response: -field (via RawField), -format=json (the
// body), or warnings plus the SecretRows table. Returns an exit code.
int PrintSecret(const ParsedFlags& flags, const nlohmann::json& body);

// PrintMap prints an object as a Key/Value table, or as JSON.
int PrintMap(const ParsedFlags& flags, const nlohmann::json& object);

// PrintList prints a LIST response's data.keys: sorted under "Keys" in
// table format, the keys array in json format (vault prints only the keys).
int PrintList(const ParsedFlags& flags, const nlohmann::json& body);

// PrintListResponse prints the answer to a LIST of `path` as vault's list
// commands do: the wrapped response when wrapped, the keys, or "No value
// found at PATH" / "No entries found at PATH" with exit code 2 (an empty
// JSON object in json format).
int PrintListResponse(const ParsedFlags& flags, const std::string& path,
                      const std::optional<nlohmann::json>& body);

}  // namespace coffer::cli
