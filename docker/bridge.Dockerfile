# The compose `bridge` service: the Starlette WebSocket bridge (python -m bridge) on port 8080.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bridge/ bridge/
# Runtime dependencies only; the dev extra (pytest, schemathesis, …) stays out of the image.
RUN pip install .

RUN useradd --system --no-create-home --home-dir /app bridge
USER bridge

ENV BRIDGE_HOST=0.0.0.0 BRIDGE_PORT=8080
EXPOSE 8080
CMD ["python", "-m", "bridge"]
