-- Compat PUT /presence for a set of users, round-robin, each with its own token (write-own).
-- PRESENCE_USERS and PRESENCE_TOKENS: comma-separated, same order. MODE=hostile alternates a real change with a
-- request that tries to add an unknown protocol and one with an over-long message (what an abusive client sends).
local users, tokens = {}, {}
for u in string.gmatch(os.getenv("PRESENCE_USERS"), "[^,]+") do users[#users + 1] = u end
for t in string.gmatch(os.getenv("PRESENCE_TOKENS"), "[^,]+") do tokens[#tokens + 1] = t end
local hostile = os.getenv("MODE") == "hostile"
local counter = 0
local long = string.rep("x", 5000)

request = function()
  counter = counter + 1
  local i = (counter % #users) + 1
  local status = (counter % 2 == 0) and "busy" or "available"
  local entry
  if hostile and counter % 3 == 1 then
    entry = '"p' .. counter .. '":{"status":"busy","message":""}'
  elseif hostile and counter % 3 == 2 then
    entry = '"spreed":{"status":"busy","message":"' .. long .. '"}'
  else
    entry = '"spreed":{"status":"' .. status .. '","message":"n' .. counter .. '"}'
  end
  local body = '{"AuthenticationToken":"' .. tokens[i] .. '","Type":"UserStatus","UserStatus":[{"user_id":"' .. users[i] .. '",' .. entry .. '}]}'
  return wrk.format("PUT", "/presence", { ["Content-Type"] = "application/json" }, body)
end

done = function(summary, latency, requests)
  io.write(string.format("non-2xx: %d, socket errors: connect %d read %d write %d timeout %d\n",
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
