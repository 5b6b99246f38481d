#!/usr/bin/env bash
# The secrets docker-compose.yml needs, as export lines for the shell:
#
#   eval "$(scripts/secrets.sh)"
#
# Each is a fresh random value the first time and kept in a file readable by its owner only
# (NIN_SECRETS_FILE, default .local/secrets.env), so every later shell gets the same ones: the
# database roles and Kafka users are created with them when the volumes are first initialised.
#   NIN_API_TOKEN                                  bearer token for runs and pins
#   NIN_DB_PASSWORD                                PostgreSQL's administrator (no service uses it)
#   NIN_DB_TRAINER_PASSWORD, NIN_DB_INFERENCE_PASSWORD           a database role per service
#   NIN_KAFKA_INGEST_PASSWORD, NIN_KAFKA_TRAINER_PASSWORD, NIN_KAFKA_INFERENCE_PASSWORD
#                                                  a Kafka (SASL/SCRAM) user per service
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
file="${NIN_SECRETS_FILE:-$root/.local/secrets.env}"
names=(NIN_API_TOKEN NIN_DB_PASSWORD NIN_DB_TRAINER_PASSWORD NIN_DB_INFERENCE_PASSWORD
  NIN_KAFKA_INGEST_PASSWORD NIN_KAFKA_TRAINER_PASSWORD NIN_KAFKA_INFERENCE_PASSWORD)

mkdir -p "$(dirname "$file")"
(umask 077 && touch "$file")
for name in "${names[@]}"; do
  grep -q "^$name=" "$file" || printf '%s=%s\n' "$name" "$(openssl rand -hex 16)" >>"$file"
done
while IFS='=' read -r name value; do
  if [[ " ${names[*]} " == *" $name "* ]]; then
    printf 'export %s=%s\n' "$name" "$value"
  fi
done <"$file"
