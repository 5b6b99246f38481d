# Sourced: start and stop the three services from their packaged jars, against the local stack.
# shellcheck shell=bash

services_build() { # builds the quarkus-app folders (no tests) when missing or older than the sources
  local stale=0 svc
  for svc in ingest-service trainer-service inference-service; do
    local jar="$NIN_ROOT/$svc/target/quarkus-app/quarkus-run.jar"
    if [[ ! -f "$jar" ]] || [[ -n "$(find "$NIN_ROOT/$svc/src" "$NIN_ROOT/contracts/src" "$NIN_ROOT/dataset/src" "$NIN_ROOT/service-kit/src" "$NIN_ROOT/schema/src" "$NIN_ROOT/nin-core/src" -newer "$jar" -type f -print -quit)" ]]; then
      stale=1
    fi
  done
  if ((stale)); then
    nin_log "building the services (mvn package, tests skipped)"
    (cd "$NIN_ROOT" && mvn -q -B -ntp package -DskipTests -Dspotless.check.skip=true) >&2
  fi
}

service_port() {
  case "$1" in
    ingest-service) echo 8080 ;;
    trainer-service) echo 8081 ;;
    inference-service) echo 8082 ;;
  esac
}

service_running() { # 0 when the service is up (liveness: inference is not ready until a model serves)
  curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$(service_port "$1")/q/health/live"
}

service_start() { # service_start NAME: idempotent; waits until ready (120 s at most)
  local svc=$1 dir="$NIN_LOCAL_DIR/services"
  mkdir -p "$dir"
  if service_running "$svc"; then
    nin_log "$svc already running on :$(service_port "$svc")"
    return 0
  fi
  nin_log "starting $svc on 127.0.0.1:$(service_port "$svc") (log $dir/$svc.log)"
  # shellcheck disable=SC2086 # NIN_JAVA_OPTS holds several options
  QUARKUS_HTTP_HOST=127.0.0.1 NIN_TENSORBOARD_DIR="${NIN_TENSORBOARD_DIR:-$NIN_LOCAL_DIR/tensorboard}" \
    DB_URL="jdbc:postgresql://$NIN_DB_HOST:$NIN_DB_PORT/$NIN_DB_NAME" \
    DB_USER="$NIN_DB_USER" DB_PASSWORD="$NIN_DB_PASSWORD" \
    nohup java -Xmx6g $NIN_JAVA_OPTS -jar "$NIN_ROOT/$svc/target/quarkus-app/quarkus-run.jar" \
    >>"$dir/$svc.log" 2>&1 &
  echo $! >"$dir/$svc.pid"
  local deadline=$((SECONDS + 120))
  until service_running "$svc"; do
    if ! kill -0 "$(cat "$dir/$svc.pid")" 2>/dev/null; then
      tail -n 30 "$dir/$svc.log" >&2
      nin_die "$svc exited during start-up (log above)"
    fi
    ((SECONDS < deadline)) || nin_die "$svc did not become ready in 120 s (see $dir/$svc.log)"
    sleep 0.5
  done
}

service_stop() {
  local pidfile="$NIN_LOCAL_DIR/services/$1.pid"
  [[ -f "$pidfile" ]] || return 0
  local pid
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    local deadline=$((SECONDS + 30))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

SERVICES_STARTED=()
services_up_until_exit() { # services_up_until_exit NAME...: the dataset, the local stack, fresh
  # builds and these services with an API token; those it had to start stop when the script exits
  "$NIN_ROOT/scripts/dataset.sh" >&2
  "$NIN_ROOT/scripts/stack.sh" up >&2
  services_build
  export NIN_API_TOKEN="${NIN_API_TOKEN:-$(head -c 24 /dev/urandom | base64 | tr -d '/+=')}"
  local svc
  for svc in "$@"; do
    if ! service_running "$svc"; then service_start "$svc"; SERVICES_STARTED+=("$svc"); fi
  done
  trap services_stop_started EXIT
}

services_stop_started() {
  local svc
  for svc in "${SERVICES_STARTED[@]}"; do service_stop "$svc"; done
}
