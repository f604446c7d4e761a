-- POST /rpc/login_anonymous: every request creates an anonymous user and its settings.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"display_name":"Bench","avatar_sprite":"brendan"}'
