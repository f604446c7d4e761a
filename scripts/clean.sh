#!/usr/bin/env bash
# make clean: stops what make up, make test or make bench may have left running after being killed
# outright, and removes caches. Keeps .data/ (the dev database and its secrets); --all (make distclean)
# removes it too, with .venv and node_modules.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$ARK_ROOT/scripts/lib/cluster.sh"
cd "$ARK_ROOT"

# A PID file is trusted only while its process still runs the program it was written for: PIDs get reused.
stop_recorded() {
  local file=$1 expect=$2 pid
  [[ -f $file ]] || return 0
  pid=$(<"$file")
  if [[ $pid =~ ^[0-9]+$ ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$expect"; then
    info "stopping $expect (pid $pid)"
    stop_pid "$pid" "$expect"
  fi
  rm -f "$file"
}
stop_recorded "$ARK_DATA/run/bridge.pid" "-m bridge"
stop_recorded "$ARK_DATA/run/postgrest.pid" "postgrest"
[[ ! -d $ARK_DATA/pg ]] || cluster_stop "$ARK_DATA/pg"

# Throwaway clusters of make test / make bench runs that were killed before their trap ran: the dir
# records the PID of the run that owns it, and is removed only once that run is gone.
for dir in "${TMPDIR:-/tmp}"/ark-pg.*; do
  [[ -d $dir ]] || continue
  owner=$(cat "$dir/owner.pid" 2>/dev/null || true)
  # A zombie (state Z) is as gone as a missing process.
  if [[ -n $owner && $(ps -o stat= -p "$owner" 2>/dev/null) == [^Z]* ]]; then continue; fi
  info "removing leftover throwaway cluster $dir"
  [[ ! -f $dir/data/postmaster.pid ]] || as_pg_user "$PG_BINDIR/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
done

rm -rf .pytest_cache .mypy_cache .ruff_cache .hypothesis ./*.egg-info
find . -path ./node_modules -prune -o -path ./.venv -prune -o -name __pycache__ -type d -print0 | xargs -0 rm -rf

if [[ ${1:-} == --all ]]; then
  info "removing .data, .venv and node_modules"
  rm -rf .data .venv node_modules
fi
