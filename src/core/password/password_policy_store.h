// PasswordPolicyStore: named password policies persisted through the barrier
// at sys/password_policy/<name> as {"policy": "<the HCL as given>"}. It is
// the engines' SystemView::GeneratePassword. Thread-safe (every call reads
// storage; policies are small and rarely used on a hot path).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "barrier/barrier.h"
#include "base/status.h"
#include "core/engine.h"
#include "core/password/password_policy.h"

namespace coffer::core::password {

class PasswordPolicyStore final : public SystemView {
 public:
  explicit PasswordPolicyStore(barrier::Barrier& barrier) : barrier_(barrier) {}

  // Put validates `text` (PasswordPolicy::Parse, and one trial Generate)
  // before storing it; InvalidArgument for a bad name or policy.
  Status Put(const std::string& name, const std::string& text);
  // Get returns the policy's text; NotFound when there is none.
  Result<std::string> Get(const std::string& name);
  Status Delete(const std::string& name);
  Result<std::vector<std::string>> List();
  // Generate makes a password from the named policy; NotFound for none.
  Result<std::string> Generate(const std::string& name);

  // SystemView: an empty name means PasswordPolicy::Default().
  Result<std::string> GeneratePassword(std::string_view policy_name) const override;

 private:
  barrier::Barrier& barrier_;
};

}  // namespace coffer::core::password
