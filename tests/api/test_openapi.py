"""The OpenAPI document PostgREST serves at / (issue 2, section 6): every api view and function is there,
each with its COMMENT, compared against the catalog as the owner sees it.

PostgREST turns a comment into a summary (its first line) and a description (the rest, if any) on each
operation, and puts column comments on the properties of the view's definition.
"""

from __future__ import annotations

from typing import Any

import httpx
import psycopg
import pytest

from tests.api.expect import ok

VIEWS_SQL = """
SELECT c.relname, obj_description(c.oid, 'pg_class')
  FROM pg_class c
 WHERE c.relnamespace = 'api'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'f', 'p')
 ORDER BY 1
"""
FUNCTIONS_SQL = """
SELECT p.proname, obj_description(p.oid, 'pg_proc')
  FROM pg_proc p
 WHERE p.pronamespace = 'api'::regnamespace
 ORDER BY 1
"""
COLUMNS_SQL = """
SELECT c.relname, a.attname, col_description(c.oid, a.attnum)
  FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid
 WHERE c.relnamespace = 'api'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'f', 'p')
   AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY 1, a.attnum
"""


@pytest.fixture(scope="module")
def document(postgrest: str) -> dict[str, Any]:
    body: dict[str, Any] = ok(httpx.get(f"{postgrest}/", timeout=10.0))
    return body


def catalog(owner: psycopg.Connection[Any], sql: str) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in owner.execute(sql).fetchall()]


def summary_and_description(comment: str) -> tuple[str, str | None]:
    """How PostgREST splits a comment: the first line is the summary, the rest (if any) the description."""
    first, _, rest = comment.partition("\n")
    rest = rest.strip("\n")
    return first, rest or None


def test_the_catalog_comments_every_api_view_column_and_function(owner_conn: psycopg.Connection[Any]) -> None:
    missing = [f"view {name}" for name, comment in catalog(owner_conn, VIEWS_SQL) if not comment]
    missing += [f"function {name}" for name, comment in catalog(owner_conn, FUNCTIONS_SQL) if not comment]
    missing += [f"column {rel}.{col}" for rel, col, comment in catalog(owner_conn, COLUMNS_SQL) if not comment]
    assert missing == []


def test_every_api_view_is_a_path_with_its_comment(
    document: dict[str, Any], owner_conn: psycopg.Connection[Any]
) -> None:
    views = dict(catalog(owner_conn, VIEWS_SQL))
    assert views, "no views in schema api"
    table_paths = {path for path in document["paths"] if path != "/" and not path.startswith("/rpc/")}
    assert table_paths == {f"/{name}" for name in views}

    for name, comment in views.items():
        summary, description = summary_and_description(comment)
        operations = document["paths"][f"/{name}"]
        assert "get" in operations, name
        for method, operation in operations.items():
            assert operation.get("summary") == summary, f"{method.upper()} /{name}"
            assert operation.get("description") == description, f"{method.upper()} /{name}"
        assert document["definitions"][name]["description"] == comment, name


def test_every_api_function_is_an_rpc_path_with_its_comment(
    document: dict[str, Any], owner_conn: psycopg.Connection[Any]
) -> None:
    functions = dict(catalog(owner_conn, FUNCTIONS_SQL))
    assert functions, "no functions in schema api"
    rpc_paths = {path for path in document["paths"] if path.startswith("/rpc/")}
    assert rpc_paths == {f"/rpc/{name}" for name in functions}

    for name, comment in functions.items():
        summary, description = summary_and_description(comment)
        operations = document["paths"][f"/rpc/{name}"]
        assert set(operations) == {"get", "post"}, name
        for method, operation in operations.items():
            assert operation.get("summary") == summary, f"{method.upper()} /rpc/{name}"
            assert operation.get("description") == description, f"{method.upper()} /rpc/{name}"


def test_every_column_carries_its_comment(document: dict[str, Any], owner_conn: psycopg.Connection[Any]) -> None:
    for relation, column, comment in catalog(owner_conn, COLUMNS_SQL):
        properties = document["definitions"][relation]["properties"]
        assert column in properties, f"{relation}.{column}"
        # PostgREST appends notes to key columns ("Note: This is a Primary Key.<pk/>"), after the comment.
        assert properties[column].get("description", "").startswith(comment or "\0"), f"{relation}.{column}"


def test_the_document_describes_the_running_server(
    document: dict[str, Any], postgrest: str, owner_conn: psycopg.Connection[Any]
) -> None:
    assert document["swagger"] == "2.0"
    schema_comment = owner_conn.execute("SELECT obj_description('api'::regnamespace, 'pg_namespace')").fetchone()
    assert schema_comment is not None and document["info"]["title"] == schema_comment[0]
    assert document["info"]["version"] == "12.0.2"
    assert f"http://{document['host']}" == postgrest
    assert "/" in document["paths"]
