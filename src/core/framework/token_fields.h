// Vault's tokenutil for auth methods: the token_* fields that roles and
// users take (token_policies, token_ttl, token_max_ttl, token_period,
// token_num_uses, token_bound_cidrs, token_explicit_max_ttl,
// token_no_default_policy, token_type), parsed into TokenParams and shown
// back on reads.
#pragma once

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "core/framework/field_data.h"
#include "core/login.h"

namespace coffer::core::framework {

// AddTokenFields declares the token_* fields (and Vault's deprecated
// "policies", "ttl", "max_ttl", "period", "bound_cidrs" aliases) in
// `fields`.
void AddTokenFields(Fields& fields);

// ApplyTokenFields updates `params` with the token_* fields the request
// provided (a create starts from defaults, an update from the stored
// value). InvalidArgument for a bad token_type, a negative duration or
// count, a malformed CIDR, or token_num_uses with a batch token.
Status ApplyTokenFields(const FieldData& data, TokenParams* params);

// TokenFieldsJson is what a read shows: token_policies, token_ttl, ...
nlohmann::json TokenFieldsJson(const TokenParams& params);

}  // namespace coffer::core::framework
