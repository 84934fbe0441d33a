-- Compat PUT /presence spread over many users (one shared-secret token each, from the file named by PRESENCE_TOKENS:
-- "user token" per line); every request is a real change (status and message vary), so each one writes history.
local tokens = {}
local counter = 0
local id = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(args)
  id = wrk.thread:get("id")
  for line in io.lines(os.getenv("PRESENCE_TOKENS")) do
    local user, token = line:match("^(%S+) (%S+)$")
    tokens[#tokens + 1] = { user = user, token = token }
  end
end

request = function()
  counter = counter + 1
  local t = tokens[(counter * 7 + id) % #tokens + 1]
  local status = (counter % 2 == 0) and "busy" or "available"
  local body = '{"AuthenticationToken":"' .. t.token .. '","Type":"UserStatus","UserStatus":[{"user_id":"' .. t.user ..
    '","spreed":{"status":"' .. status .. '","message":"t' .. id .. ' n' .. counter .. '"}}]}'
  return wrk.format("PUT", "/presence", { ["Content-Type"] = "application/json" }, body)
end

done = function(summary, latency, requests)
  io.write(string.format("non-2xx: %d, socket errors: connect %d read %d write %d timeout %d\n", summary.errors.status,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
