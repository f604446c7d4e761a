# shellcheck shell=bash
# A private PostgreSQL 15 cluster: the one `make up` keeps under .data/ and the throwaway ones that
# `make test` and `make bench` start in a temp dir. Needs common.sh.

# cluster_init DATA_DIR RUN_DIR [fast]: creates the cluster once. RUN_DIR holds the unix socket and the
# server log. "fast" turns durability off: right for a database thrown away after the run.
cluster_init() {
  local data=$1 run=$2 mode=${3:-durable}
  mkdir -p "$data" "$run"
  if ((EUID == 0)); then chown postgres:postgres "$data" "$run"; fi
  chmod 700 "$data"
  [[ -f $data/PG_VERSION ]] && return 0
  info "initdb $data"
  as_pg_user "$PG_BINDIR/initdb" -D "$data" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >"$run/initdb.log" 2>&1 \
    || { cat "$run/initdb.log" >&2; die "initdb failed"; }
  # The owner connects without a password over loopback; every other role (authenticator, bridge)
  # must present its real password, so a wrong one fails here exactly as it would in production.
  as_pg_user tee "$data/pg_hba.conf" >/dev/null <<'HBA'
local all all trust
host all postgres 127.0.0.1/32 trust
host all all 127.0.0.1/32 scram-sha-256
HBA
  {
    echo "password_encryption = scram-sha-256"
    echo "listen_addresses = '127.0.0.1'"
    echo "unix_socket_directories = '$run'"
    if [[ $mode == fast ]]; then
      echo "fsync = off"
      echo "synchronous_commit = off"
      echo "full_page_writes = off"
    fi
  } | as_pg_user tee -a "$data/postgresql.conf" >/dev/null
}

cluster_running() { as_pg_user "$PG_BINDIR/pg_ctl" -D "$1" status >/dev/null 2>&1; }

# The port a running cluster listens on (line 4 of postmaster.pid).
cluster_port() { sed -n 4p "$1/postmaster.pid"; }

# cluster_start DATA_DIR RUN_DIR PORT. pg_ctl puts the server in a session of its own, so Ctrl-C reaches
# only the calling script, whose trap then stops the server in order.
cluster_start() {
  local data=$1 run=$2 port=$3
  port_in_use "$port" && die "port $port is already in use; set ARK_PGPORT to another port"
  info "starting PostgreSQL on 127.0.0.1:$port (log: $run/postgres.log)"
  as_pg_user "$PG_BINDIR/pg_ctl" -D "$data" -l "$run/postgres.log" -w -t 60 \
    -o "-p $port" start >/dev/null \
    || { tail -n 30 "$run/postgres.log" >&2; die "PostgreSQL did not start"; }
}

cluster_stop() {
  local data=$1
  cluster_running "$data" || return 0
  info "stopping PostgreSQL ($data)"
  as_pg_user "$PG_BINDIR/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null || warn "pg_ctl stop failed for $data"
}

# cluster_ensure_db PORT RUN_DIR DBNAME: creates the database if it does not exist yet.
cluster_ensure_db() {
  local port=$1 run=$2 db=$3
  if [[ -z $(psql -h "$run" -p "$port" -U postgres -d postgres -Atq \
    -c "SELECT 1 FROM pg_database WHERE datname = '$db'") ]]; then
    info "creating database $db"
    psql -h "$run" -p "$port" -U postgres -d postgres -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$db\""
  fi
}
