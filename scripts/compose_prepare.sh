#!/usr/bin/env bash
# Fills docker/build/ (git-ignored), the part of the build contexts that is downloaded on the host, so
# that `docker compose build` needs no network inside the builds:
#   docker/build/wheels/        the bridge image's wheels, exactly docker/bridge-requirements.lock
#   docker/build/migrate-debs/  the .deb files sqitch and psql need on top of debian:bookworm-slim
# Each part is redone only when what it depends on changed (the lock file; the base image and the list).
# Needs the Docker engine at $DOCKER_HOST (or the default one) with debian:bookworm-slim
# (scripts/compose_standins.sh makes sure of that).
# Usage: scripts/compose_prepare.sh
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$ARK_ROOT/scripts/compose_lib.sh"
cd "$ARK_ROOT"

MIGRATE_PACKAGES=(sqitch libdbd-pg-perl postgresql-client)
build=docker/build
mkdir -p "$build"

step "build contexts (docker/build/)"
lock=docker/bridge-requirements.lock
want=$(sha256sum "$lock" | cut -d' ' -f1)
if [[ $(cat "$build/wheels/.stamp" 2>/dev/null) != "$want" ]]; then
  info "downloading the bridge's wheels ($lock)"
  rm -rf "$build/wheels"
  # Only these files, each checked against its hash; the same platform tags as scripts/lock_bridge.sh.
  "$VENV/bin/python" -m pip download --quiet --no-deps --require-hashes --only-binary=:all: \
    --platform manylinux2014_x86_64 --platform manylinux_2_28_x86_64 --python-version 3.11 \
    --implementation cp --abi cp311 -d "$build/wheels" -r "$lock" >"$build/pip.log" 2>&1 \
    || { grep -v '^WARNING: Location' "$build/pip.log" | tail -n 20 >&2; die "pip download failed for $lock"; }
  echo "$want" >"$build/wheels/.stamp"
else
  info "wheels: up to date"
fi

want="$(docker image inspect --format '{{.Id}}' debian:bookworm-slim) ${MIGRATE_PACKAGES[*]}"
if [[ $(cat "$build/migrate-debs/.stamp" 2>/dev/null) != "$want" ]]; then
  info "downloading the migrate image's .deb files (${MIGRATE_PACKAGES[*]})"
  download_debs debian:bookworm-slim "$build/migrate-debs" "${MIGRATE_PACKAGES[@]}"
  echo "$want" >"$build/migrate-debs/.stamp"
else
  info "migrate .deb files: up to date"
fi
