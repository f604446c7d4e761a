#!/usr/bin/env bash
# make test's compose step: compose.yaml run for real on a private Docker engine, driven by
# tests/test_compose.py (-m compose).
#   1. a dockerd of our own: data root $ARK_DOCKER_DATA_ROOT (default /var/lib/arkagentic-docker, kept so
#      that the next run on this machine reuses its images), exec root, pidfile and socket in a temp dir,
#      no iptables, no default bridge; a lock so that two runs never share it; stopped by PID at the end.
#      A dockerd the machine already runs is never touched: DOCKER_HOST points at our socket only.
#   2. the registry images, pulled or stood in for (scripts/compose_standins.sh)
#   3. the build contexts' downloads (scripts/compose_prepare.sh)
#   4. pytest -m compose tests/test_compose.py
# COMPOSE_TEST=require (the default when CI=true) makes an engine that cannot start a failure; otherwise
# this step is skipped with a banner when no engine can start at all. COMPOSE_TEST=skip skips it, loudly.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$ARK_ROOT/scripts/compose_lib.sh"
cd "$ARK_ROOT"

mode=${COMPOSE_TEST:-}
[[ -n $mode ]] || { [[ ${CI:-} == true ]] && mode=require || mode=auto; }
[[ $mode == @(auto|require|skip) ]] || die "COMPOSE_TEST must be auto, require or skip, not '$mode'"

skip() {
  printf '\n\033[1;33m%s\n!!  COMPOSE TEST SKIPPED: %s\n!!  compose.yaml was NOT run; set COMPOSE_TEST=require to make this a failure.\n%s\033[0m\n\n' \
    "$(printf '!%.0s' {1..100})" "$1" "$(printf '!%.0s' {1..100})" >&2
  [[ $mode != require ]] || die "COMPOSE_TEST=require: $1"
  exit 0
}

[[ $mode != skip ]] || skip "COMPOSE_TEST=skip"
((EUID == 0)) || skip "a private dockerd needs root (this is uid $EUID)"
command -v dockerd >/dev/null || skip "dockerd is not installed (scripts/bootstrap.sh installs docker.io as root)"

data_root=${ARK_DOCKER_DATA_ROOT:-/var/lib/arkagentic-docker}
mkdir -p "$data_root"
exec 9>"$data_root.lock"
if ! flock -n 9; then
  info "another run uses the engine at $data_root; waiting for it (at most 20 min)"
  flock -w 1200 9 || die "$data_root is still in use after 20 minutes"
fi

# A short path: containerd's sockets live under the exec root, and unix socket paths are short.
run_dir=$(mktemp -d /tmp/ark-dockerd.XXXXXX)
dockerd_pid=
stop_engine() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n $dockerd_pid ]] && kill -0 "$dockerd_pid" 2>/dev/null; then
    # Whatever a failed test left behind on this engine (only our runs ever use it).
    local left
    mapfile -t left < <(docker ps -aq 2>/dev/null || true)
    ((${#left[@]} == 0)) || docker rm -fv "${left[@]}" >/dev/null 2>&1 || true
    docker volume prune -f >/dev/null 2>&1 || true
    docker network prune -f >/dev/null 2>&1 || true
    # Images a rebuild replaced; the tagged ones stay, as the next run's build cache.
    docker image prune -f >/dev/null 2>&1 || true
    info "stopping the private dockerd (pid $dockerd_pid)"
    stop_pid "$dockerd_pid" dockerd
  fi
  if ((rc != 0)) && [[ -f $run_dir/dockerd.log ]]; then
    printf '    last lines of the dockerd log:\n' >&2
    tail -n 15 "$run_dir/dockerd.log" >&2 || true
  fi
  rm -rf "$run_dir" 2>/dev/null || warn "could not remove $run_dir"
  info "compose step: ${SECONDS}s"
  exit "$rc"
}
trap stop_engine EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step "private Docker engine (data root $data_root)"
# --iptables=false and --bridge=none: no firewall rule and no docker0 on the host. Compose creates its own
# bridge network per project, and published ports go through docker-proxy on 127.0.0.1.
# --ip-forward=false: the host's sysctl stays as it is. dockerd inherits the lock (fd 9): while it lives,
# no other run can start an engine on the same data root.
dockerd --data-root "$data_root" --exec-root "$run_dir/exec" --pidfile "$run_dir/dockerd.pid" \
  --host "unix://$run_dir/docker.sock" --iptables=false --ip-forward=false --bridge=none \
  --log-level=warn </dev/null >"$run_dir/dockerd.log" 2>&1 &
dockerd_pid=$!
export DOCKER_HOST=unix://$run_dir/docker.sock
for _ in $(seq 120); do
  docker version >/dev/null 2>&1 && break
  kill -0 "$dockerd_pid" 2>/dev/null || break
  sleep 0.5
done
if ! docker version >/dev/null 2>&1; then
  tail -n 20 "$run_dir/dockerd.log" >&2
  dockerd_pid_dead=$dockerd_pid
  kill -0 "$dockerd_pid_dead" 2>/dev/null && stop_pid "$dockerd_pid_dead" dockerd
  dockerd_pid=
  skip "the private dockerd did not start (log above)"
fi
info "dockerd $(docker version --format '{{.Server.Version}}') as pid $dockerd_pid on $DOCKER_HOST"

scripts/compose_standins.sh
scripts/compose_prepare.sh

step "compose.yaml for real: pytest -m compose tests/test_compose.py"
set +e
ARK_COMPOSE_DOCKER_HOST=$DOCKER_HOST "$VENV/bin/pytest" -p no:cacheprovider -m compose tests/test_compose.py
rc=$?
set -e
((rc != 5)) || die "pytest collected no compose tests"
exit "$rc"
