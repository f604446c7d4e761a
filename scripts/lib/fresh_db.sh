# shellcheck shell=bash
# An empty database for one run of `make test` or `make bench`. Needs common.sh and cluster.sh.
#
# With TEST_DATABASE_URL (a server an owner can reach, e.g. postgresql://postgres@127.0.0.1:5432/postgres)
# the database $ARK_TEST_DB (default ark_test) is dropped and created on that server. Without it a
# throwaway cluster is started in a temp dir on a free port, so a machine with no PostgreSQL passes too.
#
# fresh_db_open [fast|durable] sets FRESH_DB_URL (owner URL of the new database, and for a throwaway
# cluster PGPASSFILE, where libpq finds the owner's password); fresh_db_close undoes
# whatever fresh_db_open did and is safe to call from a trap at any point. fresh_db_deploy does both the
# open and the deploy, with secrets of its own: a plain deploy, as make up's. fresh_db_bench_endpoints
# then adds what only test and bench databases have.

FRESH_DB_DIR=''
FRESH_DB_DROP=''

fresh_db_open() {
  local mode=${1:-fast} db=${ARK_TEST_DB:-ark_test}
  if [[ -n ${TEST_DATABASE_URL:-} ]]; then
    use_owner_url "$TEST_DATABASE_URL"
    [[ $URL_DB != "$db" ]] || die "TEST_DATABASE_URL must name a maintenance database, not $db itself"
    info "recreating database $db on $URL_HOST:$URL_PORT"
    psql "$OWNER_URL_NOPW" -q -v ON_ERROR_STOP=1 \
      -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" -c "CREATE DATABASE \"$db\""
    FRESH_DB_DROP=$db
    URL_DB=$db
    FRESH_DB_URL=$(pg_url "$URL_USER" "$URL_PASSWORD")
  else
    local port
    FRESH_DB_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ark-pg.XXXXXX")
    # Traversable by the server's OS user (when root runs this), listable by no one else; the owner's
    # password and pgpass in it are 0600 (see cluster.sh).
    chmod 711 "$FRESH_DB_DIR"
    # Lets make clean tell a leftover of a killed run from the cluster of a run still going.
    echo "$$" >"$FRESH_DB_DIR/owner.pid"
    port=$(free_port)
    info "throwaway cluster in $FRESH_DB_DIR"
    cluster_init "$FRESH_DB_DIR/data" "$FRESH_DB_DIR/run" "$mode"
    cluster_start "$FRESH_DB_DIR/data" "$FRESH_DB_DIR/run" "$port"
    cluster_ensure_db "$port" "$FRESH_DB_DIR/run" "$db"
    # No password in the URL: libpq reads it from PGPASSFILE, which cluster_start exported.
    FRESH_DB_URL="postgresql://postgres@127.0.0.1:$port/$db"
  fi
  export FRESH_DB_URL
}

fresh_db_close() {
  if [[ -n $FRESH_DB_DROP ]]; then
    use_owner_url "$TEST_DATABASE_URL"
    psql "$OWNER_URL_NOPW" -q -c "DROP DATABASE IF EXISTS \"$FRESH_DB_DROP\" WITH (FORCE)" \
      || warn "could not drop database $FRESH_DB_DROP"
    FRESH_DB_DROP=''
  fi
  if [[ -n $FRESH_DB_DIR ]]; then
    # Nothing in a throwaway cluster is worth a clean shutdown.
    if [[ -f $FRESH_DB_DIR/data/postmaster.pid ]]; then
      as_pg_user "$PG_BINDIR/pg_ctl" -D "$FRESH_DB_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$FRESH_DB_DIR"
    FRESH_DB_DIR=''
  fi
}

# fresh_db_deploy [fast|durable]: a fresh database deployed with secrets of its own (exported for the
# processes a run starts), never the dev database or its secrets.
fresh_db_deploy() {
  unset DATABASE_URL
  JWT_SECRET=$(random_secret)
  AUTHENTICATOR_PASSWORD=$(random_secret)
  BRIDGE_PASSWORD=$(random_secret)
  export JWT_SECRET AUTHENTICATOR_PASSWORD BRIDGE_PASSWORD
  # A Jitsi of its own (tests decode its tokens with this secret); a run may bring its own domain.
  JITSI_DOMAIN=${JITSI_DOMAIN:-meet.jitsi.test}
  JITSI_APP_ID=${JITSI_APP_ID:-arkagentic}
  JITSI_APP_SECRET=$(random_secret)
  JITSI_AUDIENCE=${JITSI_AUDIENCE:-jitsi}
  export JITSI_DOMAIN JITSI_APP_ID JITSI_APP_SECRET JITSI_AUDIENCE
  fresh_db_open "${1:-fast}"
  "$ARK_ROOT/scripts/deploy.sh" "$FRESH_DB_URL"
}

# fresh_db_bench_endpoints: GET /bench_baseline and POST /rpc/bench_noop (db/bench_endpoints.sql) in the
# fresh database. Only make test and the benchmarks call it; no deploy does, so production never serves
# them. make test calls it after checking that the plain deploy is db/schema.sql.
fresh_db_bench_endpoints() {
  use_owner_url "$FRESH_DB_URL"
  psql "$OWNER_URL_NOPW" -X -q -v ON_ERROR_STOP=1 -f "$ARK_ROOT/db/bench_endpoints.sql" \
    -c "NOTIFY pgrst, 'reload schema'"
}
