# Stand-in for python:3.11-slim, built by scripts/compose_standins.sh only when the registry cannot be
# reached: Debian bookworm's Python 3.11 (with venv and ensurepip) from .deb files the host downloaded,
# and `python`/`python3` in /usr/local/bin as in the official image.
FROM debian:bookworm-slim
COPY debs/ /tmp/debs/
RUN set -eux; \
    apt-get install -y -qq --no-install-recommends /tmp/debs/*.deb >/dev/null; \
    rm -rf /tmp/debs /var/lib/apt/lists/* /var/cache/apt/*.bin; \
    ln -s /usr/bin/python3.11 /usr/local/bin/python; ln -s /usr/bin/python3.11 /usr/local/bin/python3
ENV LANG=C.UTF-8
CMD ["python3"]
