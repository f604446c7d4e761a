"""Issue 9, section 6: JIT is off for every connection the API makes.

GET /chat_sessions took 2.5 s at ~528k messages because the planner chose to JIT-compile a plan that runs
in under a millisecond. PostgREST connects as authenticator (and SET ROLE keeps the session's jit), the
bridge as bridge; the impersonated roles carry the setting too.
"""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from tests.support.db import role_url


@pytest.mark.parametrize("login", ["authenticator", "bridge"])
def test_the_api_connections_run_without_jit(
    login: str, db_url: str, authenticator_password: str, bridge_password: str
) -> None:
    password = authenticator_password if login == "authenticator" else bridge_password
    with psycopg.connect(role_url(db_url, login, password)) as conn:
        row = conn.execute("SHOW jit").fetchone()
    assert row == ("off",)


def test_the_impersonated_roles_have_jit_off_in_this_database(owner_conn: psycopg.Connection[Any]) -> None:
    rows = owner_conn.execute(
        "SELECT r.rolname FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole"
        " WHERE s.setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())"
        " AND 'jit=off' = ANY (s.setconfig) ORDER BY 1"
    ).fetchall()
    assert [r[0] for r in rows] == [
        "agent_service",
        "authenticator",
        "bridge",
        "content_admin",
        "jitsi_service",
        "player",
        "web_anon",
    ]
