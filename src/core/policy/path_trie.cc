#include "core/policy/path_trie.h"

#include <algorithm>
#include <cassert>

namespace coffer::core::policy {

namespace {

size_t CommonPrefixLength(std::string_view a, std::string_view b) {
  size_t n = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) {
    ++n;
  }
  return n;
}

// KeepBest records `id` as the best wildcard match if it outranks the one
// already found (ids ascend with priority).
void KeepBest(std::optional<PathTrie::RuleId>& best, PathTrie::RuleId id) {
  if (!best.has_value() || id > *best) {
    best = id;
  }
}

}  // namespace

PathTrie::PathTrie() { nodes_.emplace_back(); }

PathTrie::NodeIndex PathTrie::NewNode(std::string edge) {
  assert(nodes_.size() < kNoNode);
  nodes_.emplace_back();
  nodes_.back().edge = std::move(edge);
  return static_cast<NodeIndex>(nodes_.size() - 1);
}

PathTrie::NodeIndex PathTrie::FindChild(NodeIndex parent, char first) const {
  const auto& children = nodes_[parent].children;
  auto it = std::lower_bound(children.begin(), children.end(), first,
                             [](const std::pair<char, NodeIndex>& c, char k) { return c.first < k; });
  if (it == children.end() || it->first != first) {
    return kNoNode;
  }
  return it->second;
}

PathTrie::NodeIndex PathTrie::InsertText(NodeIndex from, std::string_view text) {
  NodeIndex node = from;
  while (!text.empty()) {
    NodeIndex child = FindChild(node, text.front());
    if (child == kNoNode) {
      NodeIndex fresh = NewNode(std::string(text));
      auto& children = nodes_[node].children;
      auto at = std::lower_bound(
          children.begin(), children.end(), text.front(),
          [](const std::pair<char, NodeIndex>& c, char k) { return c.first < k; });
      children.insert(at, {text.front(), fresh});
      return fresh;
    }
    size_t common = CommonPrefixLength(nodes_[child].edge, text);
    if (common < nodes_[child].edge.size()) {
      // The text leaves the edge part-way: split it so a node sits there.
      NodeIndex middle = NewNode(nodes_[child].edge.substr(0, common));
      nodes_[child].edge.erase(0, common);
      nodes_[middle].children.push_back({nodes_[child].edge.front(), child});
      for (auto& entry : nodes_[node].children) {
        if (entry.second == child) {
          entry.second = middle;
        }
      }
      child = middle;
    }
    node = child;
    text.remove_prefix(common);
  }
  return node;
}

PathTrie::NodeIndex PathTrie::PlusChildOf(NodeIndex parent) {
  if (nodes_[parent].plus_child == kNoNode) {
    NodeIndex plus = NewNode("");
    nodes_[parent].plus_child = plus;
  }
  return nodes_[parent].plus_child;
}

void PathTrie::Insert(const PatternShape& shape, RuleId id) {
  // Walk the body segment by segment: literal text (with its '/') goes in
  // as text, each '+' segment through the node's plus_child.
  NodeIndex node = 0;
  std::string literal;
  std::string_view body = shape.body;
  size_t segment_start = 0;
  while (true) {
    size_t slash = body.find('/', segment_start);
    size_t segment_end = slash == std::string_view::npos ? body.size() : slash;
    std::string_view segment = body.substr(segment_start, segment_end - segment_start);
    if (segment == "+") {
      node = InsertText(node, literal);
      literal.clear();
      node = PlusChildOf(node);
    } else {
      literal.append(segment);
    }
    if (slash == std::string_view::npos) {
      break;
    }
    literal.push_back('/');
    segment_start = slash + 1;
  }
  node = InsertText(node, literal);
  std::optional<RuleId>& slot = shape.glob ? nodes_[node].glob : nodes_[node].terminal;
  assert(!slot.has_value() && "pattern inserted twice");
  slot = id;
}

PathTrie::Match PathTrie::Find(std::string_view path) const {
  struct State {
    NodeIndex node;
    size_t consumed;   // characters of `path` matched to reach `node`
    bool via_plus;     // a '+' segment was crossed: matches are not exact
  };
  Match match;
  // Pending '+' forks. Walking literal text needs no stack entry, so the
  // stack holds at most one entry per '+' branch met.
  std::vector<State> pending = {{0, 0, false}};
  while (!pending.empty()) {
    State state = pending.back();
    pending.pop_back();
    while (true) {
      const Node& node = nodes_[state.node];
      if (node.glob.has_value()) {
        KeepBest(match.wildcard, *node.glob);
      }
      if (state.consumed == path.size() && node.terminal.has_value()) {
        if (state.via_plus) {
          KeepBest(match.wildcard, *node.terminal);
        } else {
          match.exact = node.terminal;
        }
      }
      if (node.plus_child != kNoNode) {
        // '+' takes the whole segment starting here, which may be empty.
        size_t slash = path.find('/', state.consumed);
        size_t segment_end = slash == std::string_view::npos ? path.size() : slash;
        pending.push_back({node.plus_child, segment_end, true});
      }
      if (state.consumed == path.size()) {
        break;
      }
      NodeIndex child = FindChild(state.node, path[state.consumed]);
      if (child == kNoNode) {
        break;
      }
      const std::string& edge = nodes_[child].edge;
      if (path.substr(state.consumed, edge.size()) != edge) {
        break;
      }
      state.node = child;
      state.consumed += edge.size();
    }
  }
  return match;
}

}  // namespace coffer::core::policy
