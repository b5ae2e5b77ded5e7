#include "core/health.h"

#include <charconv>

namespace coffer::core {

namespace {

Result<int> CodeOption(const std::map<std::string, std::string>& query, const char* name,
                       int fallback) {
  auto it = query.find(name);
  if (it == query.end() || it->second.empty()) {
    return fallback;
  }
  int code = 0;
  const std::string& v = it->second;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), code);
  if (ec != std::errc() || end != v.data() + v.size() || code < 100 || code > 599) {
    return Status::InvalidArgument(std::string("unable to parse ") + name + " value: \"" + v +
                                   "\" is not an HTTP status code");
  }
  return code;
}

Result<bool> BoolOption(const std::map<std::string, std::string>& query, const char* name) {
  auto it = query.find(name);
  if (it == query.end()) {
    return false;
  }
  // Vault treats a bare "?standbyok" as true.
  const std::string& v = it->second;
  if (v.empty() || v == "true" || v == "1" || v == "True" || v == "TRUE" || v == "t") {
    return true;
  }
  if (v == "false" || v == "0" || v == "False" || v == "FALSE" || v == "f") {
    return false;
  }
  return Status::InvalidArgument(std::string("unable to parse ") + name + " value: \"" + v +
                                 "\" is not a boolean");
}

}  // namespace

Result<int> HealthStatusCode(const NodeState& state,
                             const std::map<std::string, std::string>& query) {
  COFFER_ASSIGN_OR_RETURN(bool standby_ok, BoolOption(query, "standbyok"));
  COFFER_ASSIGN_OR_RETURN(bool perf_standby_ok, BoolOption(query, "perfstandbyok"));
  COFFER_ASSIGN_OR_RETURN(int active, CodeOption(query, "activecode", 200));
  COFFER_ASSIGN_OR_RETURN(int standby, CodeOption(query, "standbycode", 429));
  COFFER_ASSIGN_OR_RETURN(int dr, CodeOption(query, "drsecondarycode", 472));
  COFFER_ASSIGN_OR_RETURN(int perf, CodeOption(query, "performancestandbycode", 473));
  COFFER_ASSIGN_OR_RETURN(int sealed, CodeOption(query, "sealedcode", 503));
  COFFER_ASSIGN_OR_RETURN(int uninit, CodeOption(query, "uninitcode", 501));

  if (!state.initialized) {
    return uninit;
  }
  if (state.sealed) {
    return sealed;
  }
  if (state.dr_secondary) {
    return dr;
  }
  if (state.performance_standby) {
    return perf_standby_ok ? active : perf;
  }
  if (state.standby) {
    return standby_ok ? active : standby;
  }
  return active;
}

}  // namespace coffer::core
