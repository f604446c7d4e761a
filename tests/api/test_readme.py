"""The README's curl walk-through runs as written, top to bottom, against a live PostgREST (issue 10).

Every ```sh block of the README's "Endpoints" section, in order, becomes one bash script run with
`set -euo pipefail`. Only two things differ from a reader's terminal: API points at the test's PostgREST
(the README reads it as ${API:-…}) and DATABASE_URL at the test database, and `curl` fails on any HTTP
error status (--fail-with-body), so a command that answers 4xx or 5xx fails the test instead of printing
an error nobody reads. A README that rots fails here.
"""

from __future__ import annotations

import os
import re
import subprocess

from tests.support.processes import REPO_ROOT

README = REPO_ROOT / "README.md"


def walkthrough() -> str:
    """The ```sh blocks between '## Endpoints' and '### WebSocket', joined in order."""
    text = README.read_text()
    start, end = text.index("\n## Endpoints"), text.index("\n### WebSocket")
    blocks = re.findall(r"```sh\n(.*?)```", text[start:end], flags=re.DOTALL)
    assert len(blocks) >= 5, "the Endpoints section has its curl examples"
    return "\n".join(blocks)


def test_every_curl_example_of_the_readme_answers_2xx_in_order(postgrest: str, db_url: str) -> None:
    script = 'set -euo pipefail\ncurl() { command curl --fail-with-body --max-time 10 "$@"; echo; }\n' + walkthrough()
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "API": postgrest, "DATABASE_URL": db_url}
    # The owner's password, as a reader's `make up` shell finds it: in the pgpass file of the cluster.
    env["PGPASSFILE"] = os.environ.get("PGPASSFILE", "")
    done = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, timeout=120, cwd=REPO_ROOT)
    assert done.returncode == 0, (
        f"the walk-through stopped (status {done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    assert '"token"' in done.stdout and '"agent_slug"' in done.stdout, done.stdout[-2000:]
