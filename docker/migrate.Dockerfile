# The compose `migrate` service: runs scripts/deploy.sh (sqitch deploy --verify, db/configure.sql,
# NOTIFY pgrst) once against $DATABASE_URL and exits. Debian's sqitch, the same as make up uses.
# The build uses no network: it installs the .deb files scripts/compose_prepare.sh downloaded into
# docker/build/migrate-debs/ for this base image (run it before building).
FROM debian:bookworm-slim

COPY docker/build/migrate-debs/ /tmp/debs/
RUN apt-get install -y -qq --no-install-recommends /tmp/debs/*.deb >/dev/null \
    && rm -rf /tmp/debs /var/lib/apt/lists/* /var/cache/apt/*.bin

WORKDIR /app
COPY sqitch.conf sqitch.plan ./
COPY deploy/ deploy/
COPY revert/ revert/
COPY verify/ verify/
COPY db/ db/
COPY scripts/deploy.sh scripts/
COPY scripts/lib/common.sh scripts/lib/
# deploy.sh refuses every value of the published example, so it needs to know them.
COPY .env.example ./

RUN useradd --system --no-create-home --home-dir /app migrate
USER migrate

ENTRYPOINT ["scripts/deploy.sh"]
