# Stand-in for postgres:16 where no registry can be reached: Debian bookworm's PostgreSQL (15) with an
# entrypoint that honours the official image's POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB and
# PGDATA, so docker-compose.yml runs unchanged (scripts/lib/stand-ins.sh builds it under the official tag). Build context: deploy/docker.
ARG DEBIAN_IMAGE=debian:bookworm-slim
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-15 \
    && rm -rf /var/lib/apt/lists/*
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data LANG=C.UTF-8
COPY stand-ins/postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENTRYPOINT ["docker-entrypoint.sh"]
STOPSIGNAL SIGINT
EXPOSE 5432
LABEL dev.nin.stand-in-for="postgres:16"
