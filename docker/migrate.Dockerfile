# The compose `migrate` service: runs scripts/deploy.sh (sqitch deploy --verify, db/configure.sql,
# NOTIFY pgrst) once against $DATABASE_URL and exits. Debian's sqitch, the same as make up uses.
FROM debian:bookworm-slim

RUN apt-get update \
    && apt-get install -y --no-install-recommends sqitch libdbd-pg-perl postgresql-client ca-certificates \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY sqitch.conf sqitch.plan ./
COPY deploy/ deploy/
COPY revert/ revert/
COPY verify/ verify/
COPY db/ db/
COPY scripts/deploy.sh scripts/
COPY scripts/lib/common.sh scripts/lib/

RUN useradd --system --no-create-home --home-dir /app migrate
USER migrate

ENTRYPOINT ["scripts/deploy.sh"]
