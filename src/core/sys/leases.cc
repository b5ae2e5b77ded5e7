// sys/leases/* (and the legacy sys/renew, sys/revoke, sys/revoke-prefix and
// sys/revoke-force), as Vault's API: look up, list, renew and revoke the
// leases of secrets engines' secrets.
#include "base/time_format.h"
#include "core/core.h"
#include "core/sys/sys_paths.h"

namespace coffer::core::sys {

namespace {

using framework::FieldData;
using framework::FieldType;
using nlohmann::json;

json Time(int64_t unix_seconds) {
  return unix_seconds == 0 ? json(nullptr) : json(FormatRfc3339Nano(unix_seconds * 1'000'000'000));
}

// The lease id from the URL when given there, else from the body.
Result<std::string> LeaseIdOf(const FieldData& d) {
  std::string id = d.GetString("url_lease_id");
  if (id.empty()) {
    id = d.GetString("lease_id");
  }
  if (id.empty()) {
    return Status::InvalidArgument("missing lease ID");
  }
  return id;
}

framework::Fields LeaseIdFields() {
  return {{"url_lease_id", {FieldType::kString, json(""), false, "The lease id (in the URL)."}},
          {"lease_id", {FieldType::kString, json(""), false, "The lease id."}}};
}

framework::PathSpec Lookup(Core& core) {
  framework::PathSpec p;
  p.pattern = "leases/lookup";
  p.fields = {{"lease_id", {FieldType::kString, json(""), true, "The lease id."}}};
  p.operations[Operation::kUpdate] = [&core](const EngineRequest&,
                                             const FieldData& d) -> Result<Response> {
    COFFER_ASSIGN_OR_RETURN(std::string id, LeaseIdOf(d));
    COFFER_ASSIGN_OR_RETURN(expiration::Lease lease, core.leases().Lookup(id));
    return Response::Data({{"id", lease.id},
                           {"issue_time", Time(lease.issue_time)},
                           {"expire_time", Time(lease.expire_time)},
                           {"last_renewal", Time(lease.last_renewal_time)},
                           {"renewable", lease.renewable},
                           {"ttl", lease.RemainingTtl(core.NowUnix())}});
  };
  p.help_synopsis = "Look up a lease by id.";
  return p;
}

framework::PathSpec List(Core& core) {
  framework::PathSpec p;
  p.pattern = "leases/lookup/(?P<prefix>.*)";
  p.fields = {{"prefix", {FieldType::kString, json(""), false, "The lease id prefix."}}};
  p.operations[Operation::kList] = [&core](const EngineRequest&,
                                           const FieldData& d) -> Result<Response> {
    std::string prefix = d.GetString("prefix");
    if (!prefix.empty() && !prefix.ends_with('/')) {
      prefix.push_back('/');
    }
    COFFER_ASSIGN_OR_RETURN(std::vector<std::string> keys, core.leases().List(prefix));
    return Response::Data({{"keys", keys}});
  };
  p.help_synopsis = "List the leases under a prefix.";
  return p;
}

framework::PathSpec Renew(Core& core, const std::string& pattern) {
  framework::PathSpec p;
  p.pattern = pattern;
  p.fields = LeaseIdFields();
  p.fields["increment"] = {FieldType::kDuration, json(0), false,
                           "Requested seconds to extend the lease by, from now."};
  p.operations[Operation::kUpdate] = [&core](const EngineRequest&,
                                             const FieldData& d) -> Result<Response> {
    COFFER_ASSIGN_OR_RETURN(std::string id, LeaseIdOf(d));
    COFFER_ASSIGN_OR_RETURN(expiration::Lease lease,
                            core.leases().Renew(id, d.GetDuration("increment")));
    Response r;
    r.lease_id = lease.id;
    r.renewable = lease.renewable;
    // What was granted, as Vault answers: not re-derived from the clock,
    // which may have ticked since.
    r.lease_duration = lease.expire_time - lease.last_renewal_time;
    return r;
  };
  p.help_synopsis = "Renew a lease.";
  return p;
}

framework::PathSpec Revoke(Core& core, const std::string& pattern) {
  framework::PathSpec p;
  p.pattern = pattern;
  p.fields = LeaseIdFields();
  p.fields["sync"] = {FieldType::kBool, json(true), false,
                      "Accepted for compatibility: revocation is always synchronous."};
  p.operations[Operation::kUpdate] = [&core](const EngineRequest&,
                                             const FieldData& d) -> Result<Response> {
    COFFER_ASSIGN_OR_RETURN(std::string id, LeaseIdOf(d));
    // Vault answers success for a lease that does not exist (any more).
    auto known = core.leases().Lookup(id);
    if (!known.ok()) {
      return known.status().code() == Code::kInvalidArgument ? Result<Response>(Response::NoContent())
                                                              : Result<Response>(known.status());
    }
    COFFER_RETURN_IF_ERROR(core.leases().Revoke(id));
    return Response::NoContent();
  };
  p.help_synopsis = "Revoke a lease.";
  return p;
}

framework::PathSpec RevokePrefix(Core& core, const std::string& pattern, bool force) {
  framework::PathSpec p;
  p.pattern = pattern;
  p.fields = {{"prefix", {FieldType::kString, json(""), true, "The lease id prefix."}},
              {"sync", {FieldType::kBool, json(true), false, "Accepted for compatibility."}}};
  p.operations[Operation::kUpdate] = [&core, force](const EngineRequest&,
                                                    const FieldData& d) -> Result<Response> {
    const std::string prefix = d.GetString("prefix");
    if (prefix.empty()) {
      return Status::InvalidArgument("missing prefix");
    }
    COFFER_RETURN_IF_ERROR(core.leases().RevokePrefix(prefix, force));
    return Response::NoContent();
  };
  p.help_synopsis = force ? "Remove every lease under a prefix, even when its engine fails."
                          : "Revoke every lease under a prefix.";
  return p;
}

framework::PathSpec Tidy(Core& core) {
  framework::PathSpec p;
  p.pattern = "leases/tidy";
  p.operations[Operation::kUpdate] = [&core](const EngineRequest&,
                                             const FieldData&) -> Result<Response> {
    COFFER_ASSIGN_OR_RETURN(int64_t fixed, core.leases().Tidy());
    Response r;
    r.warnings.push_back("Tidy operation completed: " + std::to_string(fixed) +
                         " lease index entries repaired.");
    return r;
  };
  p.help_synopsis = "Repair the lease index.";
  return p;
}

}  // namespace

std::vector<framework::PathSpec> LeasePaths(Core& core) {
  return {Lookup(core),
          List(core),
          Renew(core, "leases/renew(/(?P<url_lease_id>.+))?"),
          Renew(core, "renew(/(?P<url_lease_id>.+))?"),
          Revoke(core, "leases/revoke(/(?P<url_lease_id>.+))?"),
          Revoke(core, "revoke(/(?P<url_lease_id>.+))?"),
          RevokePrefix(core, "leases/revoke-prefix/(?P<prefix>.+)", false),
          RevokePrefix(core, "revoke-prefix/(?P<prefix>.+)", false),
          RevokePrefix(core, "leases/revoke-force/(?P<prefix>.+)", true),
          RevokePrefix(core, "revoke-force/(?P<prefix>.+)", true),
          Tidy(core)};
}

}  // namespace coffer::core::sys
