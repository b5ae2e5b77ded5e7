// Rotation of the passwords the engine owns: a static role's user and a
// connection's root user. Both are write-ahead logged, because the new
// password lives in two places that cannot change together — the
// database and our storage:
//
//  1. store the pending password (wal/static-role/<name> or
//     wal/rotate-root/<name>);
//  2. set it in the database;
//  3. store the role or config with the new password and delete the
//     pending record, in one transaction.
//
// A crash (or a lost connection, whose outcome is unknown) between 2 and 3
// leaves the pending record. The next rotation of that role or config —
// the periodic retry, or a client's rotate request — re-sets the pending
// password instead of a fresh one: setting the same password again is
// idempotent, so whether or not the database took it the first time, both
// sides end up agreeing. For the root user the old password may no longer
// log in, so recovery first tries the pending password itself.
//
// A failure the database reported definitely (InvalidArgument,
// PermissionDenied, FailedPrecondition, NotFound: the plugin rolled its
// transaction back) drops a fresh pending record, since the database kept
// the old password; a failed retry of an earlier record keeps it.
#pragma once

#include <string>

#include "base/status.h"
#include "core/engine.h"
#include "engines/database/database_state.h"
#include "engines/database/role_entry.h"

namespace coffer::engines::database {

// RotateStaticRole gives the static role `name` (`role`, as stored or, when
// `creating`, about to be) a new password in the database and stores the
// role with it and last_vault_rotation = now. On failure the stored role is
// unchanged and, when `creating`, no pending record is left behind. The
// caller holds the role's lock (DatabaseState::Lock(StaticRoleKey(name)))
// exclusively.
Status RotateStaticRole(DatabaseState& state, const core::EngineRequest& request,
                        const std::string& name, StaticRoleEntry role, bool creating);

// RotateRoot gives the root user of connection `name` a new password and
// stores the config with it (rotate-root). InvalidArgument when there is no
// such config or it has no username. The caller holds the config's lock
// exclusively.
Status RotateRoot(DatabaseState& state, const core::EngineRequest& request,
                  const std::string& name);

// RunPeriodic is the engine's periodic function: it finishes pending
// records left by crashes or failures, then rotates every static role that
// is due. Failures are logged (never a password) and retried on a later
// tick, after DatabaseState::kRetryDelayNanos.
void RunPeriodic(DatabaseState& state, const core::EngineRequest& request);

}  // namespace coffer::engines::database
