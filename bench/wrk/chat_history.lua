-- GET /chat_messages: one history page (50 messages, keyset by id) of a long session, as its participant,
-- before a random id each time. bench_chat.sh sets HISTORY_SESSION, HISTORY_LO and HISTORY_HI (the session's
-- first and last message id) and HISTORY_TOKEN in wrk's environment: a token never goes on a command line.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")

local session = os.getenv("HISTORY_SESSION")
local lo = tonumber(os.getenv("HISTORY_LO"))
local hi = tonumber(os.getenv("HISTORY_HI"))
wrk.headers["Authorization"] = "Bearer " .. os.getenv("HISTORY_TOKEN")

init = function(args)
  -- Each thread has its own Lua state: seed each differently.
  math.randomseed(os.time() + math.floor(os.clock() * 1e6) + tonumber(tostring({}):match("0x(%x+)"), 16) % 100000)
end

request = function()
  -- id=lt.N for N from the 51st message to one past the last: always a full page of 50.
  local before = math.random(lo + 50, hi + 1)
  return wrk.format("GET", "/chat_messages?session_id=eq." .. session .. "&order=id.desc&limit=50&id=lt." .. before)
end
