// ReferenceAcl: Vault's ACL lookup transcribed as directly as possible
// (vault/acl.go: exact map, longest prefix, then every '+' pattern tried in
// turn and sorted by priority), with no index at all. Tests compare the
// compiled Acl against it; it is slow on purpose: O(rules) per lookup.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/policy/capabilities.h"

namespace coffer::core::policy::testing {

class ReferenceAcl {
 public:
  // Add merges `capabilities` into `pattern` (union; deny is sticky).
  void Add(const std::string& pattern, uint32_t capabilities) {
    bool segment_wildcards = pattern == "+" || pattern.find("/+") != std::string::npos ||
                             pattern.rfind("+/", 0) == 0;
    std::string key = pattern;
    std::map<std::string, uint32_t>* table = &exact_;
    if (segment_wildcards) {
      table = &segment_;
    } else if (!pattern.empty() && pattern.back() == '*') {
      key.pop_back();
      table = &prefix_;
    }
    auto [it, inserted] = table->emplace(key, capabilities);
    if (!inserted) {
      if ((it->second & kDeny) != 0 || (capabilities & kDeny) != 0) {
        it->second = kDeny;
      } else {
        it->second |= capabilities;
      }
    }
  }

  // Lookup returns the deciding rule's capabilities, 0 when none matches;
  // `list` applies Vault's trailing-slash fallback for list requests.
  uint32_t Lookup(std::string path, bool list) const {
    while (!path.empty() && path.front() == '/') {
      path.erase(0, 1);
    }
    if (auto it = exact_.find(path); it != exact_.end()) {
      return it->second;
    }
    std::string trimmed = path;
    if (list && !trimmed.empty() && trimmed.back() == '/') {
      trimmed.pop_back();
    }
    if (list) {
      if (auto it = exact_.find(trimmed); it != exact_.end()) {
        return it->second;
      }
      if (trimmed != path) {
        if (const uint32_t* found = NonExact(trimmed)) {
          return *found;
        }
      }
    }
    const uint32_t* found = NonExact(path);
    return found == nullptr ? 0 : *found;
  }

 private:
  struct Candidate {
    size_t first_wildcard;
    size_t wildcards;
    bool is_prefix;
    std::string body;
    const uint32_t* capabilities;
  };

  static std::vector<std::string> Split(const std::string& text) {
    std::vector<std::string> parts;
    size_t start = 0;
    while (true) {
      size_t slash = text.find('/', start);
      if (slash == std::string::npos) {
        parts.push_back(text.substr(start));
        return parts;
      }
      parts.push_back(text.substr(start, slash - start));
      start = slash + 1;
    }
  }

  const uint32_t* NonExact(const std::string& path) const {
    std::vector<Candidate> candidates;
    const std::string* longest = nullptr;
    for (const auto& [prefix, capabilities] : prefix_) {
      if (path.compare(0, prefix.size(), prefix) == 0 &&
          (longest == nullptr || prefix.size() > longest->size())) {
        longest = &prefix;
      }
    }
    if (longest != nullptr) {
      candidates.push_back({longest->size(), 0, true, *longest, &prefix_.at(*longest)});
    }
    std::vector<std::string> path_parts = Split(path);
    for (const auto& [full, capabilities] : segment_) {
      Candidate candidate{full.find('+'), 0, false, full, &capabilities};
      if (full.back() == '*') {
        candidate.is_prefix = true;
        candidate.body.pop_back();
      }
      std::vector<std::string> parts = Split(candidate.body);
      if (path_parts.size() < parts.size()) {
        continue;
      }
      if (!candidate.is_prefix && parts.size() != path_parts.size()) {
        continue;
      }
      bool matched = true;
      for (size_t i = 0; i < parts.size() && matched; ++i) {
        if (parts[i] == "+") {
          ++candidate.wildcards;
        } else if (parts[i] == path_parts[i]) {
          continue;
        } else if (candidate.is_prefix && i == parts.size() - 1 &&
                   path_parts[i].compare(0, parts[i].size(), parts[i]) == 0) {
          continue;
        } else {
          matched = false;
        }
      }
      if (matched) {
        candidates.push_back(candidate);
      }
    }
    if (candidates.empty()) {
      return nullptr;
    }
    auto less = [](const Candidate& a, const Candidate& b) {
      if (a.first_wildcard != b.first_wildcard) {
        return a.first_wildcard < b.first_wildcard;
      }
      if (a.is_prefix != b.is_prefix) {
        return a.is_prefix;
      }
      if (a.wildcards != b.wildcards) {
        return a.wildcards > b.wildcards;
      }
      if (a.body.size() != b.body.size()) {
        return a.body.size() < b.body.size();
      }
      return a.body < b.body;
    };
    return std::max_element(candidates.begin(), candidates.end(), less)->capabilities;
  }

  std::map<std::string, uint32_t> exact_;
  std::map<std::string, uint32_t> prefix_;   // without the '*'
  std::map<std::string, uint32_t> segment_;  // full pattern, '*' included
};

}  // namespace coffer::core::policy::testing
