#!/usr/bin/env bash
# make lint: ruff (lint and format check) on all Python, shellcheck on the scripts when installed, and
# mypy --strict on the bridge once it exists. Runs every check, then fails if any did.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$ARK_ROOT"

"$ARK_ROOT/scripts/bootstrap.sh"
failed=()
check() {
  local name=$1
  shift
  step "$name"
  "$@" || failed+=("$name")
}

check "ruff check" "$VENV/bin/ruff" check .
check "ruff format --check" "$VENV/bin/ruff" format --check .
if command -v shellcheck >/dev/null; then
  # SC2317/SC2034: trap handlers and the constants of the sourced libraries look unused to shellcheck.
  check shellcheck shellcheck -x -P scripts:scripts/lib:bench -e SC2317,SC2034 \
    scripts/*.sh scripts/lib/*.sh bench/*.sh .ci/run
else
  info "shellcheck is not installed (apt-get install shellcheck): shell scripts not checked"
fi
if [[ -d bridge ]]; then
  check "mypy --strict bridge" "$VENV/bin/mypy" --strict bridge
else
  info "no bridge/ yet: mypy skipped"
fi

((${#failed[@]} == 0)) || die "lint failed: ${failed[*]}"
