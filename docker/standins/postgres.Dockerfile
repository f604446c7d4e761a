# Stand-in for postgres:15, built by scripts/compose_standins.sh only when the registry cannot be reached.
# Debian's postgresql-15 from .deb files the host downloaded (the build has no network), and an entrypoint
# of ours with the official image's contract: POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB, an
# empty $PGDATA initialised on first start, the server as PID 1.
FROM debian:bookworm-slim
COPY debs/ /tmp/debs/
RUN set -eux; \
    apt-get install -y -qq --no-install-recommends /tmp/debs/*.deb >/dev/null; \
    if [ -d /etc/postgresql/15/main ]; then pg_dropcluster 15 main; fi; \
    rm -rf /tmp/debs /var/lib/apt/lists/* /var/cache/apt/*.bin; \
    mkdir -p /var/lib/postgresql/data /var/run/postgresql; \
    chown postgres:postgres /var/lib/postgresql/data /var/run/postgresql; \
    chmod 700 /var/lib/postgresql/data; chmod 2775 /var/run/postgresql
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data LANG=C.UTF-8
VOLUME /var/lib/postgresql/data
ENTRYPOINT ["docker-entrypoint.sh"]
# Fast shutdown, as the official image: SIGTERM would wait for every client to leave.
STOPSIGNAL SIGINT
EXPOSE 5432
CMD ["postgres"]
