# The compose `bridge` service: the Starlette WebSocket bridge (python -m bridge) on port 8080.
# The build uses no network: it installs exactly docker/bridge-requirements.lock, hash-checked, from the
# wheels scripts/compose_prepare.sh downloaded into docker/build/wheels/ (run it before building).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1

COPY docker/bridge-requirements.lock /tmp/bridge-requirements.lock
COPY docker/build/wheels/ /tmp/wheels/
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --quiet --no-index --find-links /tmp/wheels --require-hashes \
       -r /tmp/bridge-requirements.lock \
    && rm -rf /tmp/wheels /tmp/bridge-requirements.lock
ENV PATH=/opt/venv/bin:$PATH

# The bridge runs from its source tree (python -m bridge from /app); only its dependencies are installed.
WORKDIR /app
COPY bridge/ bridge/

RUN useradd --system --no-create-home --home-dir /app bridge
USER bridge

ENV BRIDGE_HOST=0.0.0.0 BRIDGE_PORT=8080
EXPOSE 8080
CMD ["python", "-m", "bridge"]
