-- Compat GET /presence with the JSON body in the GET request (as old zarafa clients send it).
local token = os.getenv("PRESENCE_TOKEN")
local user = os.getenv("PRESENCE_USER")
wrk.method = "GET"
wrk.path = "/presence"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"AuthenticationToken":"' .. token .. '","Type":"UserStatus","UserStatus":[{"user_id":"' .. user .. '"}]}'
