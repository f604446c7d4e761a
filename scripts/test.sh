#!/usr/bin/env bash
# make test: everything on a fresh database with fresh secrets, then teardown.
#   1 bootstrap  2 fresh database, deployed (plus the bench endpoints)  3 pgTAP (tests/db)  4 pytest
#   5 sqitch revert to zero, deploy again, pgTAP smoke (tests/smoke)
#   6 compose.yaml on a private Docker engine (scripts/compose_test.sh)  7 teardown
# TEST_DATABASE_URL picks the server (see scripts/lib/fresh_db.sh); otherwise a throwaway cluster.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$ARK_ROOT/scripts/lib/cluster.sh"
source "$ARK_ROOT/scripts/lib/fresh_db.sh"
source "$ARK_ROOT/scripts/lib/schema.sh"
cd "$ARK_ROOT"

started=$SECONDS
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  step "7/7 teardown"
  fresh_db_close
  if ((rc == 0)); then
    printf '\n\033[32mmake test passed\033[0m in %ss\n' "$((SECONDS - started))"
  else
    printf '\n\033[31mmake test FAILED\033[0m (status %s) after %ss\n' "$rc" "$((SECONDS - started))" >&2
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# pg_prove_dir DIR: runs every *.sql under DIR against the fresh database. An empty or missing DIR is a
# failure, because pg_prove would otherwise report success for running nothing.
pg_prove_dir() {
  local dir=$1
  [[ -n $(find "$dir" -name '*.sql' -print -quit 2>/dev/null) ]] || die "no pgTAP files in $dir"
  use_owner_url "$FRESH_DB_URL"
  pg_prove --ext .sql -r -h "$URL_HOST" -p "$URL_PORT" -d "$URL_DB" -U "$URL_USER" "$dir"
}

step "1/7 bootstrap"
scripts/bootstrap.sh

step "2/7 fresh database, deployed (sqitch deploy --verify, configure)"
# Tests never touch the dev database, and every run gets its own secrets.
fresh_db_deploy fast
use_owner_url "$FRESH_DB_URL"
info "owner URL: $OWNER_URL_NOPW"
# The snapshot reviewers read: the deployed schema must be db/schema.sql exactly.
schema_check "$FRESH_DB_URL"
info "the deployed schema is db/schema.sql"
# The benchmark baselines that tests/db and tests/ops/test_bench_endpoints.py expect: test databases only.
fresh_db_bench_endpoints

step "3/7 pgTAP: tests/db"
pg_prove_dir tests/db

step "4/7 pytest"
set +e
ARK_DB_URL=$FRESH_DB_URL "$VENV/bin/pytest"
rc=$?
set -e
((rc != 5)) || die "pytest collected no tests"
((rc == 0)) || exit "$rc"

step "5/7 sqitch revert to zero, deploy again, pgTAP smoke: tests/smoke"
use_owner_url "$FRESH_DB_URL"
sqitch_identity
sqitch revert -y "$SQITCH_TARGET"
scripts/deploy.sh "$FRESH_DB_URL"
# A full revert and redeploy must give the very same schema.
schema_check "$FRESH_DB_URL"
info "after the revert and redeploy the schema is db/schema.sql again"
pg_prove_dir tests/smoke

step "6/7 compose.yaml on a private Docker engine: scripts/compose_test.sh"
scripts/compose_test.sh
