#include "cli/flags.h"

namespace coffer::cli {

namespace {

std::optional<bool> ParseBoolText(const std::string& v) {
  if (v == "1" || v == "t" || v == "T" || v == "true" || v == "TRUE" || v == "True") {
    return true;
  }
  if (v == "0" || v == "f" || v == "F" || v == "false" || v == "FALSE" || v == "False") {
    return false;
  }
  return std::nullopt;
}

const FlagSpec* Find(const std::vector<FlagSpec>& specs, const std::string& name) {
  for (const auto& s : specs) {
    if (s.name == name) {
      return &s;
    }
  }
  return nullptr;
}

}  // namespace

std::string ParsedFlags::Get(const std::string& name, const std::string& fallback) const {
  auto it = values.find(name);
  return it == values.end() ? fallback : it->second;
}

bool ParsedFlags::GetBool(const std::string& name) const { return Get(name) == "true"; }

std::vector<std::string> ParsedFlags::GetAll(const std::string& name) const {
  auto it = repeated.find(name);
  if (it != repeated.end()) {
    return it->second;
  }
  auto single = values.find(name);
  if (single == values.end()) {
    return {};
  }
  return {single->second};
}

Result<ParsedFlags> ParseFlags(const std::vector<std::string>& args,
                               const std::vector<FlagSpec>& specs) {
  ParsedFlags out;
  size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (a.size() < 2 || a[0] != '-') {
      break;
    }
    std::string body = a.substr(a[1] == '-' ? 2 : 1);
    std::string name = body;
    std::optional<std::string> value;
    if (size_t eq = body.find('='); eq != std::string::npos) {
      name = body.substr(0, eq);
      value = body.substr(eq + 1);
    }
    const FlagSpec* spec = Find(specs, name);
    if (spec == nullptr) {
      return Status::InvalidArgument("flag provided but not defined: -" + name);
    }
    if (spec->is_bool) {
      if (!value) {
        out.values[name] = "true";
        continue;
      }
      auto b = ParseBoolText(*value);
      if (!b) {
        return Status::InvalidArgument("invalid boolean value \"" + *value + "\" for -" + name);
      }
      out.values[name] = *b ? "true" : "false";
      continue;
    }
    if (!value) {
      if (i + 1 >= args.size()) {
        return Status::InvalidArgument("flag needs an argument: -" + name);
      }
      value = args[++i];
    }
    out.values[name] = *value;
    if (spec->repeatable) {
      out.repeated[name].push_back(*value);
    }
  }
  for (; i < args.size(); ++i) {
    out.args.push_back(args[i]);
  }
  return out;
}

std::string Usage(const std::vector<FlagSpec>& specs) {
  std::string out;
  for (const auto& s : specs) {
    out += "  -" + s.name + (s.is_bool ? "" : "=<value>") + "\n      " + s.help + "\n";
  }
  return out;
}

}  // namespace coffer::cli
