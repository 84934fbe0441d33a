-- Compat PUT /presence; every request is a real change (status and message vary), so each one writes history.
local token = os.getenv("PRESENCE_TOKEN")
local user = os.getenv("PRESENCE_USER")
local threads = 0
local counter = 0
local id = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(args)
  id = wrk.thread:get("id")
end

request = function()
  counter = counter + 1
  local status = (counter % 2 == 0) and "busy" or "available"
  local body = '{"AuthenticationToken":"' .. token .. '","Type":"UserStatus","UserStatus":[{"user_id":"' .. user ..
    '","spreed":{"status":"' .. status .. '","message":"t' .. id .. ' n' .. counter .. '"}}]}'
  return wrk.format("PUT", "/presence", { ["Content-Type"] = "application/json" }, body)
end

done = function(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("non-2xx: %d, socket errors: connect %d read %d write %d timeout %d\n",
    non2xx, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
