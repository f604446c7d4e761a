-- A plain anonymous GET of the URL given to wrk.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")
