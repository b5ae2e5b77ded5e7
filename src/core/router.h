// Router: longest-prefix match of a request path onto the mounted engines.
// The match costs one hash lookup per '/' in the path, whatever the number
// of mounts. Thread-safe: matches take a shared lock; mounting, unmounting
// and remounting take it exclusively and are rare.
#pragma once

#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/engine.h"
#include "core/mount_table.h"
#include "core/storage_view.h"

namespace coffer::core {

// A mount as the router serves it. Immutable once added: tuning or moving a
// mount swaps in a new MountedEngine that shares the engine and view, so a
// request in flight never sees an entry change under it.
struct MountedEngine {
  MountEntry entry;
  std::shared_ptr<Engine> engine;
  std::shared_ptr<StorageView> view;
};

class Router {
 public:
  struct Match {
    std::shared_ptr<MountedEngine> mount;
    std::string relative_path;  // the request path with the mount point removed
  };

  // Route finds the mount with the longest path that prefixes `path`. A
  // request for the mount point itself without its trailing slash
  // ("secret") matches it too, with an empty relative path.
  std::optional<Match> Route(std::string_view path) const;

  // Add fails with InvalidArgument when the path is taken, or when it is
  // nested inside, or contains, an existing mount (as Vault refuses).
  Status Add(std::shared_ptr<MountedEngine> mount);
  std::shared_ptr<MountedEngine> Remove(const std::string& path);
  // Replace swaps the mount at `old_path` for `replacement`, which may sit
  // at a new path (a move); the same conflict rules as Add apply to it.
  Status Replace(const std::string& old_path, std::shared_ptr<MountedEngine> replacement);
  std::shared_ptr<MountedEngine> Find(const std::string& path) const;
  std::vector<std::shared_ptr<MountedEngine>> All() const;
  void Clear();

 private:
  // CheckConflicts ignores the mount at `except`; requires mu_ held.
  Status CheckConflicts(const std::string& path, const std::string& except = "") const;

  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<MountedEngine>> mounts_;  // guarded by mu_
};

}  // namespace coffer::core
