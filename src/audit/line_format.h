// Audit entry formats: Vault's "json" (one JSON object per line) and
// "jsonx" (the same object as JSONx XML on one line), plus the hash-chain
// field every coffer entry carries.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace coffer::audit {

enum class Format { kJson, kJsonx };

// ParseFormat accepts "json" (the default when empty) and "jsonx".
Result<Format> ParseFormat(std::string_view name);

// FormatEntry serializes one entry object on a single line (no '\n').
// JSONx follows IBM's JSONx as Vault's jsonx format does: an XML
// declaration followed by <json:object xmlns:json="..."> with one child
// per member (json:object / json:array / json:string / json:number /
// json:boolean / json:null, each with name="..." inside an object), with
// XML special characters (& < > " ') escaped as entities, and '\n', '\r'
// and '\t' in names and text as &#10; &#13; &#9; so a line stays one line.
// Other control characters (which XML 1.0 cannot carry) become U+FFFD in
// JSONx (JSON escapes them as \u00XX); invalid UTF-8 becomes U+FFFD in both
// formats, as Go's encoders do. `entry` must be an
// object (WithChain needs the '{' / root json:object it starts with).
std::string FormatEntry(const nlohmann::json& entry, Format format);

// The chain link of one line: its position and the SHA-256 (hex) of the
// whole previous line (prefix included, '\n' excluded). The first line of a
// chain (seq 0) carries the chain's random genesis value as `prev`.
struct ChainLink {
  uint64_t seq = 0;
  std::string prev;  // 64 lowercase hex characters
};

// WithChain returns `body` (a line made by FormatEntry) with the chain
// member inserted as its first member: {"chain":{"seq":N,"prev":"..."},...}
// for JSON, <json:object name="chain">...</json:object> as the first child
// for JSONx. `prefix` is prepended to the result unchanged.
std::string WithChain(std::string_view body, Format format, const ChainLink& link,
                      std::string_view prefix);
// AppendWithChain is WithChain appending the line to `*out` (the batch
// being written) instead of returning a copy.
void AppendWithChain(std::string* out, std::string_view body, Format format,
                     const ChainLink& link, std::string_view prefix);

// ParsedLine is what a verifier needs from one line.
struct ParsedLine {
  ChainLink link;
  std::string type;  // "request", "response", "genesis", "checkpoint", "gap"
  // For checkpoint lines: the "hmac" member (hex).
  std::string hmac;
  // For genesis lines: the "genesis" member (hex), which `prev` must equal.
  std::string genesis;
};

// ParseLine finds the chain member (and the entry's type, hmac and genesis
// members, top-level only) in a line of either format, after an optional
// prefix: anything before the first '{' (JSON; the next few '{' are tried
// when a prefix holds one) or "<?xml" / "<json:object" (JSONx); when the
// earlier of the two does not parse, the other is tried.
// nullopt when the line carries no well-formed chain member (seq an
// unsigned integer, prev 64 lowercase hex characters) or is not well-formed
// JSON / JSONx. Never throws; safe on untrusted input.
std::optional<ParsedLine> ParseLine(std::string_view line);


}  // namespace coffer::audit
