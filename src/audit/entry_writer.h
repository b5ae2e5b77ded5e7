// The JSON writer of an entry pair's members: it writes the "auth",
// "request" and "response" members straight into a line, HMAC'ing the
// sensitive values as it goes, instead of building a document per request,
// hashing a copy of it and serializing that. The bytes are exactly what
// HashEntry followed by FormatEntry(kJson) write for the same member
// (tests/unit/audit/entry_writer_test.cc compares the two for every device
// option); JSONx lines still go through the document.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "audit/entry_pair.h"
#include "audit/hashed_member_cache.h"
#include "audit/hashing.h"

namespace coffer::audit {

// MemberHashing says how a device hashes the values it writes: not at all
// (log_raw: `salt` null), and whether accessors are hashed. `known` holds
// values already hashed with this salt (the token and accessor of the
// pair's auth member); it may be null.
struct MemberHashing {
  const Salt* salt = nullptr;
  bool hmac_accessor = true;
  const KnownHashes* known = nullptr;
  // Where a response's encoded data member (ResponseMember::
  // data_member_json) is hashed, once per text; null: hashed every time.
  HashedMemberCache* members = nullptr;
};

// AppendAuthMember writes an "auth" member (any document; only an object's
// top-level client_token and, with hmac_accessor, accessor are hashed, as
// HashEntry hashes them) and adds the hashes it made to `learned`, so the
// rest of the pair can reuse them.
void AppendAuthMember(std::string* out, const nlohmann::json& auth, const MemberHashing& hashing,
                      KnownHashes* learned);

// AppendRequestMember writes the "request" member.
void AppendRequestMember(std::string* out, const RequestMember& request,
                         const MemberHashing& hashing);

// AppendResponseMember writes the "response" member.
void AppendResponseMember(std::string* out, const ResponseMember& response,
                          const MemberHashing& hashing);

}  // namespace coffer::audit
