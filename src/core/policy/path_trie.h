// PathTrie: the compiled index of an ACL's path patterns. Hand-written:
// no Debian library offers a radix tree with segment wildcards.
//
// Shape: a radix tree over the characters of the patterns (edges carry
// strings, so a run of literal text is one step). A node marks where a
// pattern ends, either exactly (`terminal`) or as a glob prefix (`glob`).
// A '+' segment is not text: a node at a segment start may have one
// `plus_child`, reached by skipping one whole segment of the request path.
//
// Lookup cost. Find walks the request path once from the root, comparing
// characters along edges; literal text never branches, because at most one
// child starts with the next character. It forks only where a node has a
// plus_child, and each fork then walks at most the rest of the path. So a
// lookup costs O(L x (1 + B)), L the path length and B the number of '+'
// branches met along the way, and never depends on how many rules or
// policies were compiled: rules whose text diverges from the path are never
// visited. (Each trie node is visited at most once per lookup, since a
// pattern prefix can match at only one position of a given path.)
//
// Thread-safety: built once by a single thread, then immutable; Find may run
// concurrently from any number of threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/policy/pattern.h"

namespace coffer::core::policy {

class PathTrie {
 public:
  // RuleId identifies a pattern. Callers number patterns in ascending
  // priority (LowerPriority), so of two wildcard matches the larger id wins.
  using RuleId = uint32_t;

  PathTrie();

  // Insert adds `shape` under `id`. Each pattern must be inserted once.
  void Insert(const PatternShape& shape, RuleId id);

  struct Match {
    std::optional<RuleId> exact;     // the pattern equal to the path, if any
    std::optional<RuleId> wildcard;  // the highest-id glob or '+' match, if any
  };

  // Find returns the rules whose pattern matches `path` (no leading '/').
  Match Find(std::string_view path) const;

  size_t node_count() const { return nodes_.size(); }

 private:
  using NodeIndex = uint32_t;
  static constexpr NodeIndex kNoNode = UINT32_MAX;

  struct Node {
    std::string edge;  // text on the edge from the parent; empty for root and '+' nodes
    // Literal children keyed by the first character of their edge, sorted.
    std::vector<std::pair<char, NodeIndex>> children;
    NodeIndex plus_child = kNoNode;
    std::optional<RuleId> terminal;  // a pattern without '*' ends here
    std::optional<RuleId> glob;      // a pattern ending in '*' ends here
  };

  NodeIndex NewNode(std::string edge);
  NodeIndex FindChild(NodeIndex parent, char first) const;
  // InsertText follows or creates the path for `text` below `from`,
  // splitting an edge where the text leaves it, and returns the end node.
  NodeIndex InsertText(NodeIndex from, std::string_view text);
  NodeIndex PlusChildOf(NodeIndex parent);

  std::vector<Node> nodes_;  // nodes_[0] is the root
};

}  // namespace coffer::core::policy
