#!/usr/bin/env bash
# The container path, proven as a user meets it: builds the images from the project's Dockerfile,
# runs the README's "With Docker" commands (docker-compose.yml, five services), and checks from the
# host what users are promised. scripts/test.sh runs it after the Maven suite.
#
#   scripts/compose-test.sh            (NIN_COMPOSE_KEEP=1 leaves the stack up afterwards)
#
# Engine: the one DOCKER_HOST or the default socket names; otherwise (as root) Debian's docker.io
# and docker-compose are installed and a private dockerd is started, and stopped again at the end.
# Base images that cannot be pulled (no registry) are replaced by stand-ins built under the same
# tags from a Debian root file system (scripts/lib/stand-ins.sh); they are listed in the output.
# Builds behind a TLS-inspecting proxy: the host's CA certificates that Debian's set lacks are
# handed to the builds through NIN_EXTRA_CA_CERTS, as README tells users to do.
#
# Prints key=value lines and, last, compose=PASS or compose=FAIL (reason); exits 1 on FAIL.
set -euo pipefail
source "$(dirname "$0")/lib/env.sh"
source "$NIN_ROOT/scripts/lib/docker.sh"
source "$NIN_ROOT/scripts/lib/stand-ins.sh"
cd "$NIN_ROOT"

started=$SECONDS
result() { printf '%s=%s\n' "$1" "$2"; }
fail() {
  result compose_seconds "$((SECONDS - started))"
  result compose "FAIL ($*)"
  exit 1
}
step() { nin_log "== $*"; }
json() { python3 -c "import json,sys; v=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; } # json EXPR < JSON

# ----------------------------------------------------------------------------- engine, images --
docker_engine_up || fail "no Docker engine"
project="${COMPOSE_PROJECT_NAME:-nin}"
logs="$NIN_LOCAL_DIR/compose-test"
mkdir -p "$logs"
cleanup() {
  local rc=$?
  if [[ "${NIN_COMPOSE_KEEP:-}" != 1 ]]; then
    compose down -v --remove-orphans >/dev/null 2>&1 || true
  fi
  docker_engine_down || true
  exit "$rc"
}
trap cleanup EXIT

for port in 5432 8080 8081 8082; do
  if timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null \
      && [[ -z "$(docker ps -q --filter "label=com.docker.compose.project=$project")" ]]; then
    fail "127.0.0.1:$port is taken by another process (the local stack? scripts/demo.sh stop)"
  fi
done

if [[ -z "${NIN_EXTRA_CA_CERTS:-}" ]]; then
  NIN_EXTRA_CA_CERTS="$(host_extra_ca_certs)"
fi
export NIN_EXTRA_CA_CERTS
# the images stamp the commit they are built from into every checkpoint's lineage
NIN_GIT_COMMIT="${NIN_GIT_COMMIT:-$(git -C "$NIN_ROOT" rev-parse HEAD 2>/dev/null || echo unknown)}"
export NIN_GIT_COMMIT
nin_log "extra CA certificates handed to the builds: $(grep -c 'BEGIN CERTIFICATE' <<<"$NIN_EXTRA_CA_CERTS" || true)"

step "base images"
base_images_ensure
result compose_stand_in_images "$(IFS=,; echo "${NIN_STAND_INS[*]:-}")"

# ------------------------------------------------------------------- the README's quick start --
# These lines are the README's "With Docker" block, in its order (DeploymentManifestsTest checks
# that every command of that block appears here verbatim).
step "docker compose up -d --build"
build_started=$SECONDS
docker() { if [[ "${1:-}" == compose ]]; then shift; compose "$@"; else command docker "$@"; fi; }
export NIN_SECRETS_FILE="$logs/secrets.env" # fresh secrets for each test (down -v drops the volumes)
rm -f "$NIN_SECRETS_FILE"
eval "$(scripts/secrets.sh)"
docker compose up -d --build >"$logs/compose-up.log" 2>&1 \
  || { tail -40 "$logs/compose-up.log" >&2; fail "docker compose up -d --build failed"; }
result compose_up_seconds "$((SECONDS - build_started))"

healthy_count() { # containers of the project whose health check passes
  local id n=0
  for id in $(command docker ps -q --filter "label=com.docker.compose.project=$project"); do
    [[ "$(command docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$id")" == healthy ]] && n=$((n + 1))
  done
  echo "$n"
}
wait_healthy() { # wait_healthy N SECONDS
  local deadline=$((SECONDS + $2))
  until [[ "$(healthy_count)" -ge "$1" ]]; do
    if ((SECONDS >= deadline)); then
      command docker ps -a --filter "label=com.docker.compose.project=$project" --format '{{.Names}}: {{.Status}}' >&2
      return 1
    fi
    sleep 2
  done
}
wait_healthy 5 300 || fail "not all five services became healthy within 300 s"
result compose_services_healthy "$(healthy_count)"
access_log=$(docker compose logs --no-color kafka-access 2>&1)
grep -q 'kafka-access: users inference ingest trainer' <<<"$access_log" \
  || { printf '%s\n' "$access_log" | tail -20 >&2; fail "kafka-access did not create the three Kafka users and their ACLs"; }
result compose_kafka_users "inference,ingest,trainer"

api() { curl -fsS --max-time 30 "$@"; }
submit() { # submit JSON -> run id
  api -X POST http://127.0.0.1:8081/api/runs -H "Authorization: Bearer $NIN_API_TOKEN" \
    -H 'Content-Type: application/json' -d "$1" | json 'v["id"]'
}
run_field() { api "http://127.0.0.1:8081/api/runs/$1" | json "$2"; }
run_field_or_empty() { api "http://127.0.0.1:8081/api/runs/$1" 2>/dev/null | json "$2" 2>/dev/null || true; }
wait_status() { # wait_status RUN STATUS SECONDS
  local deadline=$((SECONDS + $3)) status
  while :; do
    status=$(run_field_or_empty "$1" 'v["status"]') # empty while the trainer restarts
    [[ "$status" == "$2" ]] && return 0
    case "$status" in FAILED|CANCELLED) nin_log "run $1 ended $status: $(run_field "$1" 'v["error"]')"; return 1 ;; esac
    ((SECONDS < deadline)) || { nin_log "run $1 still $status after $3 s"; return 1; }
    sleep 2
  done
}
sql() { docker compose exec -T postgres psql -U nin -d nin -qAt -c "$1"; }

step "the README's first run: 67 px, two epochs, all 60,000 training images, seed 1"
docker compose ps
answer=$(curl -s -X POST localhost:8081/api/runs -H "Authorization: Bearer $NIN_API_TOKEN" -H 'Content-Type: application/json' -d '{"name": "first", "resize": 67, "epochs": 2, "seed": 1}')
run1=$(json 'v["id"]' <<<"$answer") || fail "POST /api/runs refused the README's first run: $answer"
wait_status "$run1" SUCCEEDED 900 || fail "the first run did not succeed"
result compose_run_succeeded true
top1=$(run_field "$run1" 'round(v["bestTestTop1"], 4)')
result compose_first_run_test_top1 "$top1"
python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) >= 0.83 else 1)" "$top1" \
  || fail "the README's first run reached test top-1 $top1, below 0.83"

step "inference serves the run's checkpoint"
written=$(sql "select id || ' ' || model_sha256 from checkpoint where run_id = '$run1' and kind = 'epoch' order by id desc limit 1")
deadline=$((SECONDS + 120))
until served=$(curl -s localhost:8082/api/model | json '"%s %s" % (v["active"]["checkpointId"], v["active"]["sha256"])' 2>/dev/null) \
    && [[ "$served" == "$written" ]]; do
  ((SECONDS < deadline)) || fail "inference serves '${served:-nothing}', the trainer wrote '$written'"
  sleep 2
done
result compose_served_checkpoint_matches true
checkpoint1=${written%% *}
rest=$(scripts/predict.sh --images 4) || fail "a prediction over REST failed"
grpc=$(scripts/predict.sh --images 4 --grpc) || fail "a prediction over gRPC failed"
printf '%s\n%s\n' "$rest" "$grpc" >&2
grep -q "checkpoint $checkpoint1 " <<<"$rest" || fail "REST answered with another checkpoint than $checkpoint1"
grep -q "checkpoint $checkpoint1 " <<<"$grpc" || fail "gRPC answered with another checkpoint than $checkpoint1"
result compose_predictions "rest,grpc"

step "least privilege: no service can forge another's records, inference's role cannot change the catalogue"
# the inference user's own credentials, writing a training request (only the trainer may): refused,
# and the topic holds no more records than before (counted through the broker's admin listener)
requests_end() {
  docker compose exec -T kafka /opt/kafka/bin/kafka-get-offsets.sh --bootstrap-server localhost:9094 \
    --topic nin.training-requests 2>/dev/null | awk -F: '/^nin.training-requests:/ {n += $3} END {print n + 0}'
}
requests_before=$(requests_end)
forged=$(printf 'forged\n' | docker compose exec -T -e PW="$NIN_KAFKA_INFERENCE_PASSWORD" kafka sh -c '
  printf "%s\n" "security.protocol=SASL_PLAINTEXT" "sasl.mechanism=SCRAM-SHA-512" "max.block.ms=20000" \
    "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"inference\" password=\"$PW\";" >/tmp/forger.properties
  timeout 90 /opt/kafka/bin/kafka-console-producer.sh --bootstrap-server kafka:9092 --topic nin.training-requests \
    --producer.config /tmp/forger.properties' 2>&1 || true)
requests_after=$(requests_end)
nin_log "nin.training-requests holds $requests_before records before the forged write, $requests_after after"
grep -q "Not authorized to access topics" <<<"$forged" && [[ "$requests_before" -gt 0 && "$requests_after" == "$requests_before" ]] \
  || { printf '%s\n' "$forged" | grep -v '^SLF4J' | tail -20 >&2; fail "a training request written with the inference user's credentials was not refused"; }
denied=$(docker compose exec -T -e PGPASSWORD="$NIN_DB_INFERENCE_PASSWORD" postgres \
  psql -h localhost -U nin_inference -d nin -c "update checkpoint set test_top1 = 1" 2>&1 || true)
grep -q "permission denied" <<<"$denied" || fail "inference's database role could change the catalogue: $denied"
result compose_forged_training_request_refused true
result compose_inference_role_read_only true

step "the README's SQL, with psql in the postgres container"
docker compose exec -T postgres psql -U nin -d nin -c 'select name, status, resize, epochs_done, best_test_top1, images_per_s from run_summary'
[[ "$(sql "select count(*) from run_summary where status = 'SUCCEEDED'")" == 1 ]] || fail "run_summary does not show the succeeded run"

step "docker compose restart trainer-service in the middle of a run"
train2=6000
run2=$(submit "{\"name\": \"compose-restart\", \"resize\": 67, \"epochs\": 2, \"trainLimit\": $train2, \"testLimit\": 2000, \"seed\": 2, \"logEvery\": 5, \"checkpointEverySteps\": 5}") \
  || fail "POST /api/runs refused the second run"
deadline=$((SECONDS + 300))
until [[ "$(sql "select count(*) from checkpoint where run_id = '$run2' and kind = 'resume'")" -ge 2 ]]; do
  ((SECONDS < deadline)) || fail "the second run wrote no mid-epoch checkpoint within 300 s"
  sleep 1
done
step_before=$(run_field "$run2" 'v["step"]')
docker compose restart trainer-service
wait_status "$run2" SUCCEEDED 600 || fail "the restarted run did not succeed"
attempts=$(run_field "$run2" 'v["attempts"]')
resumed=$(sql "select a.start_step || ' ' || a.start_offset || ' ' || c.kind from run_attempt a join checkpoint c on c.id = a.resumed_from_checkpoint where a.run_id = '$run2' and a.attempt = 2")
images=$(sql "select string_agg(split || ':' || epoch || ':' || images, ' ' order by split, epoch) from run_metric where run_id = '$run2' and scope = 'epoch'")
nin_log "run $run2: step $step_before at the restart, attempts $attempts, second attempt started at (step offset checkpoint-kind) '$resumed', epoch images: $images"
[[ "$attempts" == 2 ]] || fail "the restarted run took $attempts attempts, expected 2"
read -r start_step start_offset kind <<<"$resumed"
[[ "$kind" == resume && "${start_step:-0}" -gt 0 && "${start_offset:-0}" -gt 0 ]] \
  || fail "the restarted trainer did not resume from a mid-epoch checkpoint (run_attempt: '$resumed')"
[[ "$images" == "test:0:2000 test:1:2000 train:0:$train2 train:1:$train2" ]] \
  || fail "epoch image counts after the restart are '$images', expected exactly $train2 a training epoch and 2000 a test"
result compose_restart_resumed true

step "two trainers: docker compose up -d --scale trainer-worker=1"
docker compose up -d --scale trainer-worker=1 >"$logs/compose-scale.log" 2>&1 \
  || { tail -20 "$logs/compose-scale.log" >&2; fail "scaling trainer-worker failed"; }
wait_healthy 6 180 || fail "the second trainer did not become healthy"
run3=$(submit '{"name": "compose-parallel-a", "resize": 67, "epochs": 1, "trainLimit": 3000, "testLimit": 1000, "seed": 3}')
run4=$(submit '{"name": "compose-parallel-b", "resize": 67, "epochs": 1, "trainLimit": 3000, "testLimit": 1000, "seed": 4}')
deadline=$((SECONDS + 300)) parallel=0
while ((SECONDS < deadline)); do
  parallel=$(sql "select count(distinct claimed_by) from training_run where id in ('$run3', '$run4') and status = 'RUNNING'")
  [[ "$parallel" == 2 ]] && break
  [[ "$(sql "select count(*) from training_run where id in ('$run3', '$run4') and status = 'SUCCEEDED'")" == 2 ]] && break
  sleep 1
done
wait_status "$run3" SUCCEEDED 600 || fail "parallel run A did not succeed"
wait_status "$run4" SUCCEEDED 600 || fail "parallel run B did not succeed"
[[ "$parallel" == 2 ]] || fail "the two runs never trained at the same time on two trainers"
result compose_parallel_runs 2

step "docker compose down -v"
docker compose down -v
left="$(command docker ps -aq --filter "label=com.docker.compose.project=$project")$(command docker network ls -q --filter "label=com.docker.compose.project=$project")$(command docker volume ls -q --filter "label=com.docker.compose.project=$project")"
[[ -z "$left" ]] || fail "docker compose down -v left containers, networks or volumes behind"
result compose_down_clean true

command docker image prune -f >/dev/null || true # the images that rebuilds replaced
command docker builder prune -f --keep-storage 3GB >/dev/null 2>&1 || true # the build cache past 3 GB, least recently used first
command docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E '^nin/' | sed 's/^/image /' >&2 || true
if [[ -n "${DOCKER_HOST:-}" && "$DOCKER_HOST" == "unix://$NIN_DOCKER_SOCKET" ]]; then
  result compose_docker_data_mb "$(du -sm "$NIN_DOCKER_DIR/data" | cut -f1)"
fi
result compose_seconds "$((SECONDS - started))"
result compose PASS
