-- A GET of the URL given to wrk with the token in BENCH_TOKEN as its bearer: a signed-in request, which
-- PostgREST's pre-request check looks up.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")
wrk.headers["Authorization"] = "Bearer " .. assert(os.getenv("BENCH_TOKEN"), "BENCH_TOKEN is not set")
