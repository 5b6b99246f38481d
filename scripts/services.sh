#!/usr/bin/env bash
# The three services from their packaged jars, against the local stack (scripts/stack.sh).
#   scripts/services.sh start [ingest-service|trainer-service|inference-service ...]   (all by default)
#   scripts/services.sh stop [name ...]
#   scripts/services.sh status
# Logs and pid files: .local/services/. Starting builds the quarkus-app folders first if stale.
# The services take NIN_API_TOKEN from the environment (mutations are refused without one).
set -euo pipefail
source "$(dirname "$0")/lib/env.sh"
source "$NIN_ROOT/scripts/lib/services.sh"

all=(ingest-service trainer-service inference-service)
command=${1:-status}
shift || true
names=("$@")
((${#names[@]})) || names=("${all[@]}")
case "$command" in
  start)
    services_build
    # trainer first: it migrates the schema that inference reads
    for svc in trainer-service ingest-service inference-service; do
      [[ " ${names[*]} " == *" $svc "* ]] && service_start "$svc"
    done ;;
  stop)
    for svc in "${names[@]}"; do service_stop "$svc"; done ;;
  status)
    rc=0
    for svc in "${all[@]}"; do
      if service_running "$svc"; then
        echo "$svc running on 127.0.0.1:$(service_port "$svc") (pid $(cat "$NIN_LOCAL_DIR/services/$svc.pid" 2>/dev/null || echo '?'))"
      else
        echo "$svc stopped"; rc=1
      fi
    done
    exit $rc ;;
  *) nin_die "usage: scripts/services.sh start|stop|status [service ...]" ;;
esac
