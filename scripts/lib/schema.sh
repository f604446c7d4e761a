# shellcheck shell=bash
# The deployed schema as reviewable text. Needs common.sh.
#
# schema_dump OWNER_URL: pg_dump --schema-only of everything but Sqitch's own registry, normalized so that
# the same schema always gives the same text: the dump's version header and the random \restrict key
# that pg_dump 15.14 and later write are left out. db/schema.sql is this dump of a fresh deploy; make
# test fails when the deployed schema differs from it, so a reviewer reads a migration's effect there.
schema_dump() {
  use_owner_url "$1"
  pg_dump --schema-only --exclude-schema=sqitch --no-tablespaces -d "$OWNER_URL_NOPW" \
    | grep -vE '^\\(un)?restrict |^-- Dumped (from|by) '
}

# schema_check OWNER_URL: fails, showing the difference, when the deployed schema is not db/schema.sql.
schema_check() {
  local dumped
  dumped=$(mktemp "${TMPDIR:-/tmp}/ark-schema.XXXXXX")
  schema_dump "$1" >"$dumped"
  if ! diff -u "$ARK_ROOT/db/schema.sql" "$dumped" >"$dumped.diff"; then
    head -n 200 "$dumped.diff" >&2
    rm -f "$dumped" "$dumped.diff"
    die "the deployed schema differs from db/schema.sql (diff above): run 'make schema' and commit the result"
  fi
  rm -f "$dumped" "$dumped.diff"
}
