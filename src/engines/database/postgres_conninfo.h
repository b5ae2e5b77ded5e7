// PostgreSQL connection strings: rendering the configured template into what
// libpq receives.
#pragma once

#include <string>

#include "base/status.h"

namespace coffer::engines::database {

// IsPostgresUrl is true for the URI form ("postgres://" or "postgresql://")
// and false for the key=value form.
bool IsPostgresUrl(const std::string& conninfo);

// RenderPostgresConninfo replaces {{username}} and {{password}} in the
// template. In the URI form the values are percent-encoded, so a password
// holding '@', '/' or ':' cannot change the URI's structure; in the key=value
// form they are inserted as written (put the placeholder inside single
// quotes there if the value may hold spaces).
std::string RenderPostgresConninfo(const std::string& conninfo, const std::string& username,
                                   const std::string& password);

// ValidatePostgresConninfo checks that libpq can parse `conninfo` (already
// rendered) without connecting. InvalidArgument with libpq's reason; the
// caller scrubs secrets from it.
Status ValidatePostgresConninfo(const std::string& conninfo);

// PercentEncode encodes every byte except RFC 3986's unreserved characters.
std::string PercentEncode(const std::string& value);

}  // namespace coffer::engines::database
