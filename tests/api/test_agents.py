"""Custom agents through the real PostgREST (issue 13): a world's owner creates and imports agents, its
editors PATCH and publish, its players chat; outsiders never see a private world's agents; content_admin
suspends; Character Card V2 cards survive import then export unchanged (tests/api/cards/, real-world shapes
with extensions, lorebooks and legacy root fields); bad cards get a readable 400.

The world-role matrix, the immutability of versions and the activate_prompt race are pgTAP
(tests/db/17-agents.sql); what the worker answers is tests/bridge/test_agent_worker_worlds.py.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from tests.api.agents import CARD_NAMES, drop_worlds, load_card
from tests.api.expect import error, ok
from tests.api.worlds import Register, invite_and_accept
from tests.support.protocols import ClientFactory, Player, PlayerFactory


@pytest.fixture
def agent_worlds(owner_conn: psycopg.Connection[Any]) -> Iterator[list[str]]:
    slugs: list[str] = []
    yield slugs
    drop_worlds(owner_conn, slugs)


def make_world(owner: Player, slugs: list[str], visibility: str) -> str:
    slug = f"a-{uuid.uuid4().hex[:12]}"
    slugs.append(slug)
    ok(owner.http.post("/rpc/create_world", json={"slug": slug, "name": "Agents", "visibility": visibility}))
    return slug


def agent_body(world: str, slug: str, **overrides: Any) -> dict[str, Any]:
    return {
        "world_slug": world,
        "slug": slug,
        "name": "Tide Keeper",
        "role": "Oceanographer",
        "emoji": "🌊",
        "sprite_key": "steven",
        "greeting": "The tide is high.",
        "routing_keywords": ["tide", "tides"],
        "system_prompt": "You know the tides of every coast.",
        **overrides,
    }


def test_agent_sprites_is_the_registry(
    client: ClientFactory, content_admin: Any, owner_conn: psycopg.Connection[Any]
) -> None:
    keys = {row["key"] for row in ok(client().get("/agent_sprites"))}
    assert {"archie", "steven", "maxie", "joseph", "birch"} <= keys
    key = f"s-{uuid.uuid4().hex[:8]}"
    try:
        ok(content_admin.post("/agent_sprites", json={"key": key, "name": "Diver"}), 201)
        assert key in {row["key"] for row in ok(client().get("/agent_sprites"))}
    finally:
        owner_conn.execute("DELETE FROM app.agent_sprites WHERE key = %s", (key,))


def test_owner_creates_editor_patches_and_publishes_member_chats(
    registered: Register, new_player: PlayerFactory, agent_worlds: list[str]
) -> None:
    owner, editor, member = registered(), registered(), new_player()
    world = make_world(owner, agent_worlds, "private")
    invite_and_accept(owner, editor, world, "editor")
    invite_and_accept(owner, member, world, "member")

    created = ok(owner.http.post("/rpc/create_agent", json=agent_body(world, "tide")))
    assert (created["slug"], created["moderation_status"], created["world_id"] is not None) == ("tide", "active", True)
    prompts = ok(editor.http.get("/agent_prompts", params={"agent_id": f"eq.{created['id']}"}))
    assert [(p["version"], p["is_active"], p["created_by"]) for p in prompts] == [(1, True, owner.user_id)]

    patched = ok(
        editor.http.patch("/agents", params={"id": f"eq.{created['id']}"}, json={"greeting": "Hello, sailor."})
    )
    assert [row["greeting"] for row in patched] == ["Hello, sailor."]
    error(
        editor.http.patch("/agents", params={"id": f"eq.{created['id']}"}, json={"moderation_status": "active"}),
        403,
        "42501",
    )
    ok(member.http.patch("/agents", params={"id": f"eq.{created['id']}"}, json={"greeting": "Hacked."}), 204)
    assert [a["greeting"] for a in ok(owner.http.get("/agents", params={"id": f"eq.{created['id']}"}))] == [
        "Hello, sailor."
    ]

    published = ok(
        editor.http.post(
            "/rpc/publish_prompt",
            json={
                "agent_slug": "tide",
                "world_slug": world,
                "system_prompt": "You know the tides. v2",
                "note": "shorter",
            },
        )
    )
    assert (published["version"], published["note"], published["activated_by"]) == (2, "shorter", editor.user_id)
    rolled = ok(owner.http.post("/rpc/activate_prompt", json={"agent_slug": "tide", "world_slug": world, "version": 1}))
    assert (rolled["version"], rolled["is_active"], rolled["activated_by"]) == (1, True, owner.user_id)
    error(
        member.http.post("/rpc/publish_prompt", json={"agent_slug": "tide", "world_slug": world, "system_prompt": "x"}),
        403,
        "PT403",
        "only the world's owner and editors manage its agents",
    )
    assert ok(member.http.get("/agent_prompts")) == []  # players never read prompts

    session = ok(member.http.post("/rpc/start_chat", json={"agent_slug": "tide", "world_slug": world}))
    assert session["agent_id"] == created["id"]
    history = ok(member.http.get("/chat_messages", params={"session_id": f"eq.{session['id']}"}))
    assert [m["content"] for m in history] == ["Hello, sailor."]
    routed = ok(member.http.post("/rpc/route_agent", json={"message": "when are the tides?", "world_slug": world}))
    assert routed == {"agent_slug": "tide", "score": 1, "world_slug": world}


def test_an_outsider_cannot_see_a_private_worlds_agent(
    registered: Register, new_player: PlayerFactory, client: ClientFactory, agent_worlds: list[str]
) -> None:
    owner, outsider = registered(), new_player()
    world = make_world(owner, agent_worlds, "private")
    agent = ok(owner.http.post("/rpc/create_agent", json=agent_body(world, "secret", routing_keywords=["zzsecret"])))
    for http in (outsider.http, client()):
        assert ok(http.get("/agents", params={"id": f"eq.{agent['id']}"})) == []
    unknown_world = error(
        outsider.http.post("/rpc/route_agent", json={"message": "zzsecret", "world_slug": world}), 404, "PT404"
    )
    assert unknown_world["message"] == "unknown world"
    assert ok(outsider.http.post("/rpc/route_agent", json={"message": "zzsecret"})) is None
    error(
        outsider.http.post("/rpc/start_chat", json={"agent_slug": "secret", "world_slug": world}),
        404,
        "PT404",
        "unknown agent",
    )
    error(outsider.http.post("/rpc/start_chat", json={"agent_slug": "secret"}), 404, "PT404", "unknown agent")
    error(
        outsider.http.post("/rpc/export_character_card", json={"agent_slug": "secret", "world_slug": world}),
        404,
        "PT404",
        "unknown world",
    )
    # The same refusal as for a world that does not exist: nothing tells them it is there.
    missing = error(
        outsider.http.post("/rpc/start_chat", json={"agent_slug": "secret", "world_slug": "a-no-such-world"}),
        404,
        "PT404",
    )
    assert missing["message"] == "unknown agent"


def test_a_suspended_agent_refuses_messages(
    registered: Register, new_player: PlayerFactory, content_admin: Any, agent_service: Any, agent_worlds: list[str]
) -> None:
    owner, member = registered(), new_player()
    world = make_world(owner, agent_worlds, "public")
    ok(owner.http.post("/rpc/create_agent", json=agent_body(world, "tide")))
    session = ok(member.http.post("/rpc/start_chat", json={"agent_slug": "tide", "world_slug": world}))
    ok(member.http.post("/rpc/send_message", json={"session_id": session["id"], "content": "Hello"}))

    suspended = ok(
        content_admin.post("/rpc/suspend_agent", json={"agent_slug": "tide", "world_slug": world, "reason": "spam"})
    )
    assert (suspended["moderation_status"], suspended["moderation_reason"]) == ("suspended", "spam")
    refused = error(
        member.http.post("/rpc/send_message", json={"session_id": session["id"], "content": "Still there?"}),
        403,
        "PT403",
        "this agent is suspended",
    )
    assert "readable" in refused["hint"]
    error(
        agent_service.post("/rpc/post_agent_reply", json={"session_id": session["id"], "content": "Yes"}),
        403,
        "PT403",
        "this agent is suspended",
    )
    history = ok(member.http.get("/chat_messages", params={"session_id": f"eq.{session['id']}", "order": "id"}))
    assert [m["content"] for m in history] == ["The tide is high.", "Hello"]
    assert ok(member.http.get("/agents", params={"slug": "eq.tide"})) == []
    seen = ok(owner.http.get("/agents", params={"slug": "eq.tide"}))
    assert [(a["moderation_status"], a["moderation_reason"]) for a in seen] == [("suspended", "spam")]
    error(owner.http.post("/rpc/restore_agent", json={"agent_slug": "tide", "world_slug": world}), 403, "42501")

    ok(content_admin.post("/rpc/restore_agent", json={"agent_slug": "tide", "world_slug": world}))
    ok(member.http.post("/rpc/send_message", json={"session_id": session["id"], "content": "Welcome back"}))


@pytest.mark.parametrize("name", CARD_NAMES)
def test_a_card_survives_import_then_export(registered: Register, agent_worlds: list[str], name: str) -> None:
    owner = registered()
    world = make_world(owner, agent_worlds, "private")
    card = load_card(name)
    agent = ok(owner.http.post("/rpc/import_character_card", json={"world_slug": world, "card": card}))
    data = card["data"]
    assert agent["name"] == data["name"]
    tags = [
        t.lower()
        for t in data["tags"]
        if t.lower() == t.lower().strip() and all(c.isascii() and (c.isalnum() or c == "-") for c in t.lower())
    ]
    assert agent["routing_keywords"] == list(dict.fromkeys(tags))[:32]
    exported = ok(
        owner.http.post("/rpc/export_character_card", json={"agent_slug": agent["slug"], "world_slug": world})
    )
    assert exported == card
    # The card's bytes keep their meaning through JSON: the same after a second round trip too.
    again = ok(
        owner.http.post("/rpc/import_character_card", json={"world_slug": world, "card": exported, "slug": "again"})
    )
    assert (
        ok(owner.http.post("/rpc/export_character_card", json={"agent_slug": again["slug"], "world_slug": world}))
        == card
    )


def test_import_composes_the_prompt_and_defaults(registered: Register, agent_worlds: list[str]) -> None:
    owner = registered()
    world = make_world(owner, agent_worlds, "private")
    agent = ok(
        owner.http.post(
            "/rpc/import_character_card", json={"world_slug": world, "card": load_card("lighthouse_keeper")}
        )
    )
    assert (agent["slug"], agent["role"], agent["emoji"], agent["sprite_key"]) == (
        "maren-holt",
        "Character",
        "🎭",
        "archie",
    )
    assert agent["greeting"].startswith("*Maren throws a wool blanket") and "\r" not in agent["greeting"]
    prompt = ok(owner.http.get("/agent_prompts", params={"agent_id": f"eq.{agent['id']}"}))[0]["system_prompt"]
    assert (
        prompt.startswith("Write {{char}}'s next reply")
        and "\n\nPersonality: gruff" in prompt
        and "\n\nScenario: {{user}}" in prompt
    )
    error(
        owner.http.post(
            "/rpc/import_character_card", json={"world_slug": world, "card": load_card("lighthouse_keeper")}
        ),
        409,
        "PT409",
        "this agent slug is taken in this world",
    )
    chosen = ok(
        owner.http.post(
            "/rpc/import_character_card",
            json={
                "world_slug": world,
                "card": load_card("lighthouse_keeper"),
                "slug": "maren",
                "role": "Keeper",
                "emoji": "🗼",
                "sprite_key": "birch",
            },
        )
    )
    assert (chosen["slug"], chosen["role"], chosen["emoji"], chosen["sprite_key"]) == ("maren", "Keeper", "🗼", "birch")
    # Edits after the import show in the exported card; the rest of it stays as imported.
    ok(owner.http.patch("/agents", params={"id": f"eq.{chosen['id']}"}, json={"name": "Old Maren"}))
    ok(
        owner.http.post(
            "/rpc/publish_prompt", json={"agent_slug": "maren", "world_slug": world, "system_prompt": "Be Maren."}
        )
    )
    exported = ok(owner.http.post("/rpc/export_character_card", json={"agent_slug": "maren", "world_slug": world}))
    assert (exported["data"]["name"], exported["data"]["system_prompt"]) == ("Old Maren", "Be Maren.")
    assert exported["data"]["extensions"] == load_card("lighthouse_keeper")["data"]["extensions"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c.update(spec="chara_card_v3"), "not a Character Card V2: spec must be chara_card_v2"),
        (lambda c: c.pop("spec"), "not a Character Card V2: spec must be chara_card_v2"),
        (lambda c: c["data"].pop("name"), "the character card has no name"),
        (lambda c: c["data"].update(name="   "), "the character card has no name"),
        (lambda c: c["data"].update(name=42), "the character card has no name"),
        (lambda c: c.pop("data"), "the character card has no data object"),
        (lambda c: c.update(spec_version="3.0"), "unsupported spec_version: a V2 card says 2.0"),
        (lambda c: c["data"].update(tags="sea"), "a character card list is not a list of strings"),
        (lambda c: c["data"].update(description=["x"]), "a character card field that holds text is not a string"),
        (lambda c: c["data"].update(extensions=[]), "the character card's extensions are not an object"),
        (lambda c: c["data"].update(mes_example="x" * 262_144), "the character card is larger than 256 KB"),
        (
            lambda c: c["data"].update(name="x\u202egpj.exe"),
            "an agent name must not contain control, invisible, format, bidi or unassigned characters",
        ),
    ],
)
def test_a_bad_card_gets_a_readable_400(
    registered: Register, agent_worlds: list[str], change: Any, message: str
) -> None:
    owner = registered()
    world = make_world(owner, agent_worlds, "private")
    card = load_card("starship_ai")
    change(card)
    body = error(
        owner.http.post("/rpc/import_character_card", json={"world_slug": world, "card": card, "slug": "bad"}),
        400,
        "22023",
        message,
    )
    assert body["hint"]
    assert ok(owner.http.get("/agents", params={"slug": "eq.bad"})) == []


def test_a_card_that_is_not_json_object_is_refused(registered: Register, agent_worlds: list[str]) -> None:
    owner = registered()
    world = make_world(owner, agent_worlds, "private")
    for card in ("a string", [1, 2], None, 7):
        error(
            owner.http.post("/rpc/import_character_card", json={"world_slug": world, "card": card}),
            400,
            "22023",
            "a character card is a JSON object",
        )


def test_create_agent_refuses_hostile_values_in_every_field(registered: Register, agent_worlds: list[str]) -> None:
    seed = random.randrange(2**32)
    print(f"seed={seed}")
    rng = random.Random(seed)
    owner = registered()
    world = make_world(owner, agent_worlds, "private")
    hostile = [
        "",
        " ",
        "x\u202ey",
        "x\u0000y",
        "a\u200bb",
        "x" * 70,
        "\r\n",
        "UPPER",
        "x\u0007y",
        "'; DROP TABLE app.agents; --",
    ]
    fields: dict[str, list[Any]] = {
        "slug": [*hostile, "-x", "a--b", "a" * 65],
        "name": ["", " ", "x\u202ey", "a\u200bb", "n" * 65, "x\u0007y"],
        "role": ["", "r" * 65, "x\u202ey", "x\u0007y"],
        "emoji": ["", "e" * 17, "x\u0007y"],
        "sprite_key": ["", "nobody", "'; --", "ARCHIE"],
        "greeting": ["", "  ", "g" * 2001, "x\u0007y", "x\u202ey"],
        "system_prompt": ["", " \n\t", "p" * 32_001],
        "routing_keywords": [["UPPER"], ["two words"], ["k" * 33], [f"k{i}" for i in range(33)], [""], ["x\u202ey"]],
    }
    cases = [(field, value) for field, values in fields.items() for value in values]
    rng.shuffle(cases)
    for field, value in cases:
        body = {**agent_body(world, "safe"), field: value}
        response = owner.http.post("/rpc/create_agent", json=body)
        assert response.status_code == 400, (seed, field, value, response.status_code, response.text[:300])
        if isinstance(value, str) and len(value) > 3:
            assert value not in response.json()["message"], (seed, field)  # client text only in details
    assert ok(owner.http.get("/agents", params={"slug": "eq.safe"})) == []


def test_the_agent_limit_is_a_setting(
    registered: Register, agent_worlds: list[str], owner_conn: psycopg.Connection[Any]
) -> None:
    owner = registered()
    world = make_world(owner, agent_worlds, "private")
    owner_conn.execute("UPDATE app.world_settings SET max_agents_per_world = 2")
    try:
        for slug in ("one", "two"):
            ok(owner.http.post("/rpc/create_agent", json=agent_body(world, slug)))
        body = error(
            owner.http.post("/rpc/create_agent", json=agent_body(world, "three")),
            409,
            "PT409",
            "this world has as many agents as it may",
        )
        assert json.loads(body["details"]) == {"max_agents_per_world": 2}
    finally:
        owner_conn.execute("UPDATE app.world_settings SET max_agents_per_world = 20")
