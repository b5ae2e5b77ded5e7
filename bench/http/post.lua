-- wrk script: POSTs one JSON body to a path, with an optional token.
-- Environment:
--   BENCH_BODY_FILE  file holding the request body (required)
--   BENCH_PATH       request path; "%d" in it becomes a counter modulo BENCH_KEYS
--   BENCH_KEYS       how many distinct paths to cycle through (default 1)
--   BENCH_TOKEN      sent as X-Vault-Token when set
local f = assert(io.open(os.getenv("BENCH_BODY_FILE"), "rb"))
local body = f:read("*a")
f:close()
local path = os.getenv("BENCH_PATH")
local keys = tonumber(os.getenv("BENCH_KEYS") or "1")
local token = os.getenv("BENCH_TOKEN")
local headers = { ["Content-Type"] = "application/json" }
if token ~= nil and token ~= "" then
  headers["X-Vault-Token"] = token
end
local n = 0

request = function()
  n = n + 1
  local p = string.gsub(path, "%%d", tostring(n % keys))
  return wrk.format("POST", p, headers, body)
end
