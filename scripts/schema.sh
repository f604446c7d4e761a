#!/usr/bin/env bash
# make schema: deploys to a fresh throwaway database and writes its schema to db/schema.sql.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$ARK_ROOT/scripts/lib/cluster.sh"
source "$ARK_ROOT/scripts/lib/fresh_db.sh"
source "$ARK_ROOT/scripts/lib/schema.sh"
cd "$ARK_ROOT"
trap fresh_db_close EXIT
scripts/bootstrap.sh
step "fresh database, deployed"
fresh_db_deploy fast >/dev/null
schema_dump "$FRESH_DB_URL" >db/schema.sql
info "wrote db/schema.sql ($(wc -l <db/schema.sql) lines)"
