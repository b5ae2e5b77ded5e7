// The kubernetes auth method (Vault's vault-plugin-auth-kubernetes): a
// config naming the cluster's API server, roles binding service account
// names and namespaces to token settings, and a login that has the API
// server review the service account JWT (TokenReview) and hands the core a
// LoginGrant. Registered as "kubernetes"; the registered factory reviews
// over HTTPS (HttpTokenReviewer) and reads the pod's own service account
// from kLocalServiceAccountDir.
#pragma once

#include <memory>
#include <string>

#include "auth/kubernetes/config_entry.h"
#include "auth/kubernetes/token_review.h"
#include "base/status.h"
#include "core/engine.h"

namespace coffer::auth::kubernetes {

// CreateKubernetesBackend builds the engine with `reviewer` (shared by its
// logins; must be thread-safe) and the local service account folder to
// fall back to. Fails only if a path pattern does not compile. The engine
// is thread-safe.
Result<std::unique_ptr<core::Engine>> CreateKubernetesBackend(
    std::shared_ptr<const TokenReviewer> reviewer,
    std::string local_service_account_dir = std::string(kLocalServiceAccountDir));

}  // namespace coffer::auth::kubernetes
