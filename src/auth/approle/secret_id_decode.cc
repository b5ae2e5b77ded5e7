// SecretIdEntry::Decode: a secret-id entry read straight from its stored
// JSON with nlohmann's SAX interface, without building the document. Every
// login decodes one (a secret-id entry is secret, so it is never kept
// decoded), and the document was most of what that cost. It decodes what
// DecodeStoredJson followed by FromStored decodes, and refuses what they
// refuse (approle_test checks the two agree); the one difference is that a
// member repeated in the object is refused if any copy has the wrong type,
// where the document keeps the last.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/approle/secret_id_entry.h"

namespace coffer::auth::approle {

namespace {

using nlohmann::json;

enum class Member {
  kUnknown,  // kept for compatibility, never read: skipped whatever it holds
  kAccessor,
  kNumUses,
  kTtl,
  kCreation,
  kExpiration,
  kLastUpdated,
  kMetadata,
  kCidrList,
  kTokenBoundCidrs,
};

const char* Name(Member member) {
  switch (member) {
    case Member::kAccessor: return "secret_id_accessor";
    case Member::kNumUses: return "secret_id_num_uses";
    case Member::kTtl: return "secret_id_ttl";
    case Member::kCreation: return "creation_time";
    case Member::kExpiration: return "expiration_time";
    case Member::kLastUpdated: return "last_updated_time";
    case Member::kMetadata: return "metadata";
    case Member::kCidrList: return "cidr_list";
    case Member::kTokenBoundCidrs: return "token_bound_cidrs";
    case Member::kUnknown: break;
  }
  return "?";
}

Member MemberNamed(std::string_view name) {
  if (name == "secret_id_accessor") {
    return Member::kAccessor;
  }
  if (name == "secret_id_num_uses") {
    return Member::kNumUses;
  }
  if (name == "secret_id_ttl") {
    return Member::kTtl;
  }
  if (name == "creation_time") {
    return Member::kCreation;
  }
  if (name == "expiration_time") {
    return Member::kExpiration;
  }
  if (name == "last_updated_time") {
    return Member::kLastUpdated;
  }
  if (name == "metadata") {
    return Member::kMetadata;
  }
  if (name == "cidr_list") {
    return Member::kCidrList;
  }
  if (name == "token_bound_cidrs") {
    return Member::kTokenBoundCidrs;
  }
  return Member::kUnknown;
}

// The SAX handler. Depth 1 is inside the top object; a known member's
// container (metadata, a CIDR list) is depth 2 and may hold only strings;
// an unknown member's value is skipped at any depth. As StoredReader: a
// null member is absent (the zero value), any other type mismatch is
// Corruption.
class SecretIdSax {
 public:
  explicit SecretIdSax(SecretIdEntry* out) : out_(*out) {}

  Status status() const { return status_; }

  bool null() {
    if (depth_ == 1) {
      Reset();
      return true;
    }
    return Ignored() || Fail();
  }
  bool boolean(bool) { return Ignored() || Fail(); }
  bool number_integer(json::number_integer_t value) { return Int(value); }
  bool number_unsigned(json::number_unsigned_t value) {
    return Int(static_cast<int64_t>(value));  // as get<int64_t>() would
  }
  bool number_float(json::number_float_t, const json::string_t&) {
    return Ignored() || Fail();
  }
  bool string(json::string_t& value) {
    if (Ignored()) {
      return true;
    }
    if (depth_ == 1 && member_ == Member::kAccessor) {
      out_.accessor = std::move(value);
      return true;
    }
    if (depth_ == 2 && member_ == Member::kMetadata) {
      out_.metadata[map_key_] = std::move(value);
      return true;
    }
    if (depth_ == 2 && List() != nullptr) {
      List()->push_back(std::move(value));
      return true;
    }
    return Fail();
  }
  bool binary(json::binary_t&) { return Fail(); }

  bool start_object(size_t) {
    if (depth_ == 0) {
      depth_ = 1;
      return true;
    }
    if (Ignored()) {
      ++depth_;
      return true;
    }
    if (depth_ == 1 && member_ == Member::kMetadata) {
      out_.metadata.clear();
      depth_ = 2;
      return true;
    }
    return Fail();
  }
  bool key(json::string_t& name) {
    if (depth_ == 1) {
      member_ = MemberNamed(name);
    } else if (depth_ == 2 && member_ == Member::kMetadata) {
      map_key_ = std::move(name);
    }
    return true;
  }
  bool end_object() {
    --depth_;
    return true;
  }
  bool start_array(size_t) {
    if (depth_ == 0) {
      return NotAnObject();
    }
    if (Ignored()) {
      ++depth_;
      return true;
    }
    if (depth_ == 1 && List() != nullptr) {
      List()->clear();
      depth_ = 2;
      return true;
    }
    return Fail();
  }
  bool end_array() {
    --depth_;
    return true;
  }
  bool parse_error(size_t, const std::string&, const nlohmann::detail::exception&) {
    status_ = Status::Corruption("stored approle secret-id is not valid JSON");
    return false;
  }

 private:
  // Ignored: the value (or part of the value) of an unknown member.
  bool Ignored() const { return depth_ >= 1 && member_ == Member::kUnknown; }

  std::vector<std::string>* List() {
    switch (member_) {
      case Member::kCidrList: return &out_.cidr_list;
      case Member::kTokenBoundCidrs: return &out_.token_bound_cidrs;
      default: return nullptr;
    }
  }

  int64_t* IntMember() {
    switch (member_) {
      case Member::kNumUses: return &out_.num_uses;
      case Member::kTtl: return &out_.ttl;
      case Member::kCreation: return &out_.creation_nanos;
      case Member::kExpiration: return &out_.expiration_nanos;
      case Member::kLastUpdated: return &out_.last_updated_nanos;
      default: return nullptr;
    }
  }

  bool Int(int64_t value) {
    if (Ignored()) {
      return true;
    }
    if (depth_ == 1 && IntMember() != nullptr) {
      *IntMember() = value;
      return true;
    }
    return Fail();
  }

  // Reset makes the current member absent (a null), as a later duplicate
  // member replaces an earlier one in the document.
  void Reset() {
    if (member_ == Member::kAccessor) {
      out_.accessor.clear();
    } else if (member_ == Member::kMetadata) {
      out_.metadata.clear();
    } else if (List() != nullptr) {
      List()->clear();
    } else if (IntMember() != nullptr) {
      *IntMember() = 0;
    }
  }

  bool NotAnObject() {
    status_ = Status::Corruption("approle secret-id is not a JSON object");
    return false;
  }

  // Fail: a value of the wrong type where the current member is, or a
  // top-level value that is not an object.
  bool Fail() {
    if (depth_ == 0) {
      return NotAnObject();
    }
    status_ = Status::Corruption(std::string("approle secret-id: member \"") + Name(member_) +
                                 "\" has the wrong type");
    return false;
  }

  SecretIdEntry& out_;
  int depth_ = 0;
  Member member_ = Member::kUnknown;
  std::string map_key_;
  Status status_;
};

}  // namespace

Result<SecretIdEntry> SecretIdEntry::Decode(std::string_view stored) {
  SecretIdEntry entry;
  SecretIdSax sax(&entry);
  if (!json::sax_parse(stored, &sax)) {
    return sax.status().ok() ? Status::Corruption("stored approle secret-id is not valid JSON")
                             : sax.status();
  }
  if (entry.accessor.empty() || entry.num_uses < 0) {
    return Status::Corruption("approle secret-id entry is incomplete");
  }
  return entry;
}

}  // namespace coffer::auth::approle
