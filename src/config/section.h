// Section reads typed values out of one part of the config (the top level,
// a listener, the storage stanza) and words every error the same way:
// "<file>:<line>: <key> in <section> must be ...". Internal to config/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "hcl/ast.h"

namespace coffer::config::internal {

class Section {
 public:
  // `name` is how messages name the section, e.g. `listener "tcp"`; empty
  // for the top level. Keeps a view of `filename`, which must outlive it.
  Section(std::string_view filename, std::string name);

  // Error returns InvalidArgument "<file>:<line>: <message>".
  Status Error(hcl::Position pos, std::string_view message) const;
  // UnknownKey returns `<file>:<line>: unknown key "foo" in listener "tcp"`.
  Status UnknownKey(const hcl::Item& item) const;

  // AttributeOf returns the item as an attribute, or an error when the key
  // was written as a block.
  Result<const hcl::Attribute*> AttributeOf(const hcl::Item& item) const;

  Result<std::string> String(const hcl::Attribute& a) const;
  // Bool takes what Vault takes: true/false, 1/0, and the strings "true",
  // "false", "1", "0", "t", "f" in any of Go's accepted spellings.
  Result<bool> Bool(const hcl::Attribute& a) const;
  // Int takes a whole number or a string of one.
  Result<int64_t> Int(const hcl::Attribute& a) const;
  // Duration takes whole seconds or a string for ParseDurationSeconds.
  Result<int64_t> Duration(const hcl::Attribute& a) const;
  // Scalar renders a string, number or bool as text (for backend params).
  Result<std::string> Scalar(const hcl::Attribute& a) const;

  // Where names a key for messages: `tls_disable in listener "tcp"`.
  std::string Where(std::string_view key) const;

 private:
  Status MustBe(const hcl::Attribute& a, std::string_view expectation) const;

  std::string_view filename_;
  const std::string name_;
};

}  // namespace coffer::config::internal
