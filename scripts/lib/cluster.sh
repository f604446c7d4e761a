# shellcheck shell=bash
# A private PostgreSQL 15 cluster: the one `make up` keeps under .data/ and the throwaway ones that
# `make test` and `make bench` start in a temp dir. Needs common.sh.
#
# Nobody gets in without a password: every role, the owner `postgres` included, authenticates with
# SCRAM over loopback and over the unix socket, and the socket directory is reachable by the server's
# OS user only. The owner's password is generated beside the data directory (BASE/postgres_password,
# mode 0600, BASE being the data directory's parent: .data/ for make up, the temp dir for a throwaway
# cluster), and clients get it through BASE/pgpass (PGPASSFILE), which cluster_start writes and exports,
# so psql, sqitch, pg_prove, psycopg and the benches read it without a password on any command line.

# cluster_base DATA_DIR: where the cluster's owner password and pgpass live.
cluster_base() { dirname "$1"; }

# pgpass_field TEXT: a pgpass field, with ':' and '\' escaped.
pgpass_field() { local v=${1//\\/\\\\}; printf '%s' "${v//:/\\:}"; }

# cluster_conf DATA_DIR RUN_DIR MODE: the settings this project owns, rewritten at every cluster_init
# (an existing cluster gets them too) and read last through include_if_exists.
cluster_conf() {
  local data=$1 run=$2 mode=$3
  {
    echo "# Written by scripts/lib/cluster.sh at every start: edit that file, not this one."
    echo "password_encryption = scram-sha-256"
    echo "listen_addresses = '127.0.0.1'"
    echo "unix_socket_directories = '$run'"
    echo "unix_socket_permissions = 0700"
    # Secrets stay out of the server log (issue 9): no statement text, no bind parameters and no
    # DETAIL/CONTEXT lines, which is where PostgreSQL quotes the JSON a client sent. Log files are
    # readable by the server's OS user only.
    echo "log_error_verbosity = terse"
    echo "log_statement = none"
    echo "log_min_duration_statement = -1"
    echo "log_min_error_statement = panic"
    echo "log_parameter_max_length = 0"
    echo "log_parameter_max_length_on_error = 0"
    echo "log_file_mode = 0600"
    if [[ $mode == fast ]]; then
      echo "fsync = off"
      echo "synchronous_commit = off"
      echo "full_page_writes = off"
    fi
  } | as_pg_user tee "$data/ark.conf" >/dev/null
  grep -q "^include_if_exists = 'ark.conf'" "$data/postgresql.conf" 2>/dev/null \
    || echo "include_if_exists = 'ark.conf'" | as_pg_user tee -a "$data/postgresql.conf" >/dev/null
}

# cluster_hba DATA_DIR: SCRAM for everyone, socket and loopback; no trust, no peer.
cluster_hba() {
  as_pg_user tee "$1/pg_hba.conf" >/dev/null <<'HBA'
# Written by scripts/lib/cluster.sh. Every role, postgres included, presents its SCRAM password.
local all all scram-sha-256
host all all 127.0.0.1/32 scram-sha-256
HBA
}

# cluster_init DATA_DIR RUN_DIR [fast]: creates the cluster once, and brings an existing one (a .data/pg
# from before passwords) to the same locked-down state. RUN_DIR holds the unix socket and the server
# log. "fast" turns durability off: right for a database thrown away after the run.
cluster_init() {
  local data=$1 run=$2 mode=${3:-durable} base pwfile new_password=false
  base=$(cluster_base "$data")
  pwfile="$base/postgres_password"
  mkdir -p "$data" "$run"
  if ((EUID == 0)); then chown postgres:postgres "$data" "$run"; fi
  chmod 700 "$data" "$run"
  [[ -s $pwfile ]] || new_password=true
  (umask 077 && [[ -s $pwfile ]] || random_secret >"$pwfile")
  chmod 600 "$pwfile"
  if [[ ! -f $data/PG_VERSION ]]; then
    info "initdb $data"
    # initdb reads the password from a file the postgres OS user can read: one in RUN_DIR, removed at once.
    as_pg_user sh -c 'umask 077; cat >"$1"' sh "$run/initdb.pw" <"$pwfile"
    (umask 077 && : >"$run/initdb.log")
    as_pg_user "$PG_BINDIR/initdb" -D "$data" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth=scram-sha-256 --pwfile="$run/initdb.pw" >"$run/initdb.log" 2>&1 \
      || { as_pg_user rm -f "$run/initdb.pw"; cat "$run/initdb.log" >&2; die "initdb failed"; }
    as_pg_user rm -f "$run/initdb.pw"
  elif $new_password || grep -Eq '^[^#]*\btrust\b' "$data/pg_hba.conf"; then
    # A cluster made before the owner had a password: set it (the server must be stopped for that).
    cluster_running "$data" && die "the cluster in $data still trusts local users and is running: stop it (make clean) and run this again"
    info "setting the owner's password of $data (it had none)"
    {
      printf "ALTER ROLE postgres PASSWORD '%s';\n" "$(<"$pwfile")"
    } | as_pg_user "$PG_BINDIR/postgres" --single -D "$data" -j postgres >/dev/null \
      || die "could not set the owner's password in $data"
  fi
  cluster_hba "$data"
  cluster_conf "$data" "$run" "$mode"
}

# cluster_use DATA_DIR RUN_DIR: for a cluster that already runs (started by another make up): writes
# the pgpass for its port, exports PGPASSFILE and sets CLUSTER_PORT.
cluster_use() {
  CLUSTER_PORT=$(cluster_port "$1")
  cluster_pgpass "$1" "$2" "$CLUSTER_PORT"
}

cluster_running() { as_pg_user "$PG_BINDIR/pg_ctl" -D "$1" status >/dev/null 2>&1; }

# The port a running cluster listens on (line 4 of postmaster.pid).
cluster_port() { sed -n 4p "$1/postmaster.pid"; }

# cluster_pgpass DATA_DIR RUN_DIR PORT: writes BASE/pgpass for this port (loopback and the socket) and
# exports PGPASSFILE. Also writes RUN_DIR/server.pgpass, owned by the server's OS user, for connections
# the server itself opens back to itself (dblink in the pgTAP tests).
cluster_pgpass() {
  local data=$1 run=$2 port=$3 base pw lines
  base=$(cluster_base "$data")
  pw=$(pgpass_field "$(<"$base/postgres_password")")
  lines="127.0.0.1:$port:*:postgres:$pw
localhost:$port:*:postgres:$pw
$(pgpass_field "$run"):$port:*:postgres:$pw"
  (umask 077 && printf '%s\n' "$lines" >"$base/pgpass")
  chmod 600 "$base/pgpass"
  printf '%s\n' "$lines" | as_pg_user sh -c 'umask 077; cat >"$1"' sh "$run/server.pgpass"
  export PGPASSFILE="$base/pgpass"
}

# cluster_start DATA_DIR RUN_DIR PORT. pg_ctl puts the server in a session of its own, so Ctrl-C reaches
# only the calling script, whose trap then stops the server in order.
cluster_start() {
  local data=$1 run=$2 port=$3
  port_in_use "$port" && die "port $port is already in use; set ARK_PGPORT to another port"
  cluster_pgpass "$data" "$run" "$port"
  info "starting PostgreSQL on 127.0.0.1:$port (log: $run/postgres.log)"
  # pg_ctl creates the log with mode 0600; an older log keeps its mode unless it is fixed here.
  [[ ! -e $run/postgres.log ]] || chmod 600 "$run/postgres.log"
  as_pg_user env PGPASSFILE="$run/server.pgpass" "$PG_BINDIR/pg_ctl" -D "$data" -l "$run/postgres.log" -w -t 60 \
    -o "-p $port" start >/dev/null \
    || { tail -n 30 "$run/postgres.log" >&2; die "PostgreSQL did not start"; }
}

# cluster_stop DATA [SECONDS]: a fast shutdown, and an immediate one when that takes longer than SECONDS (60).
cluster_stop() {
  local data=$1 seconds=${2:-60}
  cluster_running "$data" || return 0
  info "stopping PostgreSQL ($data)"
  # A fast shutdown ends with a checkpoint, which a busy disk can stretch without bound. Past SECONDS the
  # server is stopped immediately: nothing committed is lost (the next start replays the WAL), and
  # whoever asked for the stop, a Ctrl-C say, gets it in bounded time.
  if ! as_pg_user "$PG_BINDIR/pg_ctl" -D "$data" -m fast -w -t "$seconds" stop >/dev/null 2>&1; then
    warn "PostgreSQL did not stop within ${seconds} s; stopping it immediately (the next start replays the WAL)"
    as_pg_user "$PG_BINDIR/pg_ctl" -D "$data" -m immediate -w -t 30 stop >/dev/null 2>&1 || warn "pg_ctl stop failed for $data"
  fi
}

# cluster_ensure_db PORT RUN_DIR DBNAME: creates the database if it does not exist yet (PGPASSFILE set).
cluster_ensure_db() {
  local port=$1 run=$2 db=$3
  if [[ -z $(psql -X -h "$run" -p "$port" -U postgres -d postgres -Atq \
    -c "SELECT 1 FROM pg_database WHERE datname = '$db'") ]]; then
    info "creating database $db"
    psql -X -h "$run" -p "$port" -U postgres -d postgres -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$db\""
  fi
}
