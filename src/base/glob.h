// Glob matching as Vault does it, in its two flavours.
#pragma once

#include <string_view>

namespace coffer {

// GlobMatch is ryanuber/go-glob, which Vault's jwt bound claims and cert
// constraints use: '*' anywhere matches any run of characters (including
// none); without '*' the pattern must equal the value.
bool GlobMatch(std::string_view pattern, std::string_view value);

// GlobbedStringsMatch is Vault's strutil.GlobbedStringsMatch (policy
// parameter values, kubernetes bindings): only a leading and/or trailing
// '*' is special, matching any prefix, suffix or surrounding text.
bool GlobbedStringsMatch(std::string_view pattern, std::string_view value);

}  // namespace coffer
