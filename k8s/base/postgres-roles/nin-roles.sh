#!/bin/sh
# One PostgreSQL role per service (docs/reliability.md), created once when the postgres image
# initialises its data directory (/docker-entrypoint-initdb.d). POSTGRES_USER stays the
# administrator and no service uses it:
#   nin_trainer    owns the database, so it runs the schema migrations and writes runs, metrics and
#                  checkpoints;
#   nin_inference  reads the catalogue and writes only its pin table (granted by the migration
#                  V7__inference_role.sql, once the tables exist).
# ingest-service uses no database. The passwords come from NIN_DB_TRAINER_PASSWORD and
# NIN_DB_INFERENCE_PASSWORD.
set -eu
: "${NIN_DB_TRAINER_PASSWORD:?NIN_DB_TRAINER_PASSWORD must be set}"
: "${NIN_DB_INFERENCE_PASSWORD:?NIN_DB_INFERENCE_PASSWORD must be set}"
psql -v ON_ERROR_STOP=1 -q --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v trainer_password="$NIN_DB_TRAINER_PASSWORD" -v inference_password="$NIN_DB_INFERENCE_PASSWORD" \
  -v db="$POSTGRES_DB" <<'SQL'
create role nin_trainer login password :'trainer_password';
create role nin_inference login password :'inference_password';
alter database :"db" owner to nin_trainer;
revoke connect on database :"db" from public;
grant connect on database :"db" to nin_inference;
SQL
echo "nin-roles: nin_trainer owns $POSTGRES_DB; nin_inference may connect"
