#!/bin/sh
# The official apache/kafka image's contract, as far as docker-compose.yml uses it: every KAFKA_*
# variable becomes a broker property (KAFKA_ dropped, lower case, '___' -> '-', '__' -> '_',
# '_' -> '.'), the log directory is formatted once with CLUSTER_ID, then the broker (KRaft) runs in
# the foreground.
set -eu
CLUSTER_ID=${CLUSTER_ID:-5L6g3nShT-eMCtK--X86sw}
props=/opt/kafka/config/server.properties
mkdir -p /opt/kafka/config
: >"$props"
env | grep '^KAFKA_' | sort | while IFS='=' read -r name value; do
  case "$name" in KAFKA_HEAP_OPTS|KAFKA_OPTS|KAFKA_JVM_PERFORMANCE_OPTS|KAFKA_LOG4J_OPTS) continue ;; esac
  key=$(printf '%s' "${name#KAFKA_}" | tr 'A-Z' 'a-z' | sed -e 's/___/-/g' -e 's/__/@/g' -e 's/_/./g' -e 's/@/_/g')
  printf '%s=%s\n' "$key" "$value" >>"$props"
done
grep -q '^log.dirs=' "$props" || echo "log.dirs=/tmp/kraft-combined-logs" >>"$props"
log_dir=$(sed -n 's/^log.dirs=//p' "$props" | cut -d, -f1)
mkdir -p "$log_dir"
if [ ! -f "$log_dir/meta.properties" ]; then
  java -Xmx256m -cp '/opt/kafka/libs/*' kafka.tools.StorageTool format -t "$CLUSTER_ID" -c "$props" --ignore-formatted
fi
# shellcheck disable=SC2086 # options are several words
exec java ${KAFKA_HEAP_OPTS:--Xmx512m -Xms512m} ${KAFKA_OPTS:-} -cp '/opt/kafka/libs/*' kafka.Kafka "$props"
