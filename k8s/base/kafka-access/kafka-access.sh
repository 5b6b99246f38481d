#!/bin/sh
# Each service's Kafka user (SASL/SCRAM-SHA-512) and what acls.txt grants it, applied with Kafka's
# own tools through the broker's admin listener. That listener needs no credentials (its principal
# is the broker's only super user) and so listens on loopback only: run this script in the broker's
# network namespace (compose: network_mode service:kafka; Kubernetes: a container of the broker's
# pod). Idempotent: a rerun sets the current passwords and adds whatever ACL is missing.
#
#   NIN_KAFKA_<USER>_PASSWORD  for every user acls.txt names (INGEST, TRAINER, INFERENCE)
#   KAFKA_ADMIN_BOOTSTRAP      the admin listener (default localhost:9094)
set -eu
here=$(dirname "$0")
bin=/opt/kafka/bin
admin=${KAFKA_ADMIN_BOOTSTRAP:-localhost:9094}
rules() { grep -v '^[[:space:]]*#' "$here/acls.txt" | grep -v '^[[:space:]]*$'; }

users=$(rules | awk '{print $1}' | sort -u)
for user in $users; do
  var="NIN_KAFKA_$(printf '%s' "$user" | tr 'a-z-' 'A-Z_')_PASSWORD"
  eval "password=\${$var:-}"
  if [ -z "$password" ]; then
    echo "kafka-access: $var is not set" >&2
    exit 1
  fi
  "$bin/kafka-configs.sh" --bootstrap-server "$admin" --alter --entity-type users --entity-name "$user" \
    --add-config "SCRAM-SHA-512=[iterations=8192,password=$password]" >/dev/null
done

rules | while read -r user resource pattern name operations; do
  set --
  for operation in $(printf '%s' "$operations" | tr , ' '); do
    set -- "$@" --operation "$operation"
  done
  "$bin/kafka-acls.sh" --bootstrap-server "$admin" --add --allow-principal "User:$user" \
    --resource-pattern-type "$pattern" "--$resource" "$name" "$@" >/dev/null
done
echo "kafka-access: users" $users "with $(rules | wc -l) ACL lines"
