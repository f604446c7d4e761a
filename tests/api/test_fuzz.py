from __future__ import annotations
import collections, time
import hypothesis
import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
C = collections.Counter()
T = collections.Counter()
@pytest.fixture
def openapi(postgrest: str) -> schemathesis.BaseSchema:
    cfg = schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": False}}})
    return schemathesis.openapi.from_url(f"{postgrest}/", config=cfg)

schema = schemathesis.pytest.from_fixture("openapi")

@schema.parametrize()
@hypothesis.settings(max_examples=10, deadline=None, suppress_health_check=list(hypothesis.HealthCheck))
def test_anonymous(case: schemathesis.Case) -> None:
    t=time.monotonic()
    C[(case.operation.label, case.meta.phase.name.value if case.meta else None)] += 1
    case.call_and_validate(checks=[not_a_server_error])
    T[case.operation.label]+=time.monotonic()-t

def test_zz():
    print(sum(C.values()), sum(T.values()))
    for k,v in sorted(C.items()): print(k,v)

@schema.parametrize()
@hypothesis.settings(max_examples=8, deadline=None, suppress_health_check=list(hypothesis.HealthCheck), database=None)
def test_player(case: schemathesis.Case, player) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {player.token}"}, checks=[not_a_server_error])
