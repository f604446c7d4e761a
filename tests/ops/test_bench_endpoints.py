"""The benchmark baselines are served by test and bench databases only (issue 9, section 3).

GET /bench_baseline and POST /rpc/bench_noop let anyone measure, and load, a production PostgREST. A plain
deploy (scripts/deploy.sh, as `make up` and compose's migrate service run it) leaves them out; make test and
the benchmarks add them from db/bench_endpoints.sql (fresh_db_bench_endpoints in scripts/lib/fresh_db.sh).
"""

from __future__ import annotations

import httpx

from tests.ops.conftest import UpStack


def statuses(base_url: str) -> dict[str, int]:
    with httpx.Client(base_url=base_url, timeout=10.0) as http:
        return {
            "GET /bench_baseline": http.get("/bench_baseline").status_code,
            "POST /rpc/bench_noop": http.post("/rpc/bench_noop", json={}).status_code,
        }


def test_make_up_serves_no_bench_endpoint_and_the_test_database_does(dev_stack: UpStack, postgrest: str) -> None:
    assert statuses(dev_stack.api) == {"GET /bench_baseline": 404, "POST /rpc/bench_noop": 404}
    assert statuses(postgrest) == {"GET /bench_baseline": 200, "POST /rpc/bench_noop": 200}
