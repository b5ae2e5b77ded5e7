#include "core/login.h"

namespace coffer::core {

using nlohmann::json;

json TokenParams::ToStored() const {
  return {{"policies", policies},
          {"ttl", ttl},
          {"max_ttl", max_ttl},
          {"explicit_max_ttl", explicit_max_ttl},
          {"period", period},
          {"num_uses", num_uses},
          {"bound_cidrs", bound_cidrs},
          {"no_default_policy", no_default_policy},
          {"type", type}};
}

TokenParams TokenParams::FromStored(const json& j) {
  TokenParams p;
  if (!j.is_object()) {
    return p;
  }
  auto strings = [&](const char* key) {
    std::vector<std::string> out;
    auto it = j.find(key);
    if (it != j.end() && it->is_array()) {
      for (const auto& v : *it) {
        if (v.is_string()) {
          out.push_back(v.get<std::string>());
        }
      }
    }
    return out;
  };
  p.policies = strings("policies");
  p.bound_cidrs = strings("bound_cidrs");
  p.ttl = j.value("ttl", int64_t{0});
  p.max_ttl = j.value("max_ttl", int64_t{0});
  p.explicit_max_ttl = j.value("explicit_max_ttl", int64_t{0});
  p.period = j.value("period", int64_t{0});
  p.num_uses = j.value("num_uses", int64_t{0});
  p.no_default_policy = j.value("no_default_policy", false);
  p.type = j.value("type", std::string("default"));
  return p;
}

}  // namespace coffer::core
