#!/usr/bin/env bash
# Benchmarks of the running product, key=value lines measured in one run.
#   scripts/bench.sh pipeline [--resize 96] [--epochs 1] [--train-limit 0] [--seed 1] [--precision fp32|bf16]
#     training images/s fed from Kafka by the services vs nin-core fed from memory, same config,
#     timed just before and just after the pipeline run (the denominator is their mean); prints
#     pipeline_images_per_s, inmemory_{before,after,}_images_per_s, ingest_batches_per_s, the
#     run's test top-1, and last pipeline_over_inmemory (goal >= 0.95).
#   scripts/bench.sh serve [--seconds 8] [--reloads 50] [--resize 96]
#     the raw DJL predictor in-process, then inference-service over REST and gRPC at concurrency
#     1/16/64, the Open Inference Protocol over REST and gRPC at 64 (a discarded warm-up load per
#     transport first; each c=64 ratio is to the raw predictor timed just before and just after
#     that load, as this machine's speed drifts within minutes), then REST c=64 while a
#     checkpoint is swapped in every 2 s, then RSS over 50 reloads; prints service_over_raw,
#     oip_rest_over_raw and oip_grpc_over_raw (goal >= 0.8 each), reload_failed_requests (0),
#     p99_reload_over_steady (<= 2.0), rss_growth_mb_50_reloads (< 50); then, with inference
#     restarted for each, REST c=64 while a candidate is shadowed (25 % of requests copied) and while
#     one is tried as a canary (10 %, 300 requests): shadow_p99_over_steady (<= 1.5) and
#     canary_failed_requests (0).
set -euo pipefail
source "$(dirname "$0")/lib/env.sh"
source "$NIN_ROOT/scripts/lib/services.sh"
source "$NIN_ROOT/scripts/lib/client.sh"
cd "$NIN_ROOT"

what=${1:-}
shift || true
usage="usage: scripts/bench.sh pipeline [--resize R] [--epochs N] [--train-limit N] [--seed S] [--precision P]
       scripts/bench.sh serve [--seconds S] [--reloads N] [--resize R]"
if [[ "$what" == serve ]]; then
  scripts/dataset.sh >&2
  scripts/stack.sh up >&2
  services_build
  started=()
  # The trainer owns the schema (Flyway at its start); inference only reads it.
  for svc in trainer-service inference-service; do
    if ! service_running "$svc"; then service_start "$svc"; started+=("$svc"); fi
  done
  cleanup() { for svc in "${started[@]}"; do service_stop "$svc"; done; }
  trap cleanup EXIT
  export DB_URL="jdbc:postgresql://$NIN_DB_HOST:$NIN_DB_PORT/$NIN_DB_NAME" DB_USER="$NIN_DB_USER" DB_PASSWORD="$NIN_DB_PASSWORD"
  client_java dev.nin.tools.bench.ServeBenchmark --pid "$(cat "$NIN_LOCAL_DIR/services/inference-service.pid")" "$@"
  # Safe promotion under load needs an inference-service configured for it: restarted with a
  # shadow, then with a canary (the shadow phase runs forever by design: its request count is huge).
  if [[ " ${started[*]} " == *" inference-service "* ]]; then
    service_stop inference-service
    NIN_INFERENCE_PROMOTION_SHADOW_PERCENT=25 NIN_INFERENCE_PROMOTION_SHADOW_REQUESTS=1000000000 \
      service_start inference-service
    client_java dev.nin.tools.bench.TrialBenchmark shadow "$@"
    service_stop inference-service
    NIN_INFERENCE_PROMOTION_CANARY_PERCENT=10 NIN_INFERENCE_PROMOTION_CANARY_REQUESTS=300 \
      service_start inference-service
    client_java dev.nin.tools.bench.TrialBenchmark canary "$@"
  else
    nin_log "inference-service was already running: stop it to measure the shadow and the canary"
  fi
  exit 0
fi
[[ "$what" == pipeline ]] || nin_die "$usage"
resize=96 epochs=1 train_limit=0 test_limit=0 seed=1 batch=128 precision=fp32
nin_options "$@"

# ingest and the trainer with an API token (stopped at the end unless they were already up)
services_up_until_exit ingest-service trainer-service

# The same configuration in memory (scripts/nin.sh train), timed just before and just after the
# pipeline run: this machine's speed drifts 15-25 % within minutes, so the ratio's denominator is
# the mean of the two, taken around the numerator (as bench.sh serve does for its raw predictor).
inmem_args=(--resize "$resize" --epochs "$epochs" --batch-size "$batch" --seed "$seed" --log-every 100000 --precision "$precision")
[[ "$train_limit" == 0 ]] || inmem_args+=(--train-limit "$train_limit")
[[ "$test_limit" == 0 ]] || inmem_args+=(--test-limit "$test_limit")
inmemory_images_per_s() {
  nin_log "the same configuration in memory (scripts/nin.sh train)"
  scripts/nin.sh train "${inmem_args[@]}" 2>/dev/null | sed -nE 's/.*done in .*\(([0-9.]+) img\/s\).*/\1/p' \
    | awk '{ s += $1; n++ } END { if (n) printf "%.1f", s / n }'
}
inmemory_before=$(inmemory_images_per_s)

body=$(printf '{"name":"bench-pipeline","resize":%s,"epochs":%s,"batchSize":%s,"trainLimit":%s,"testLimit":%s,"seed":%s,"logEvery":50,"precision":"%s"}' \
  "$resize" "$epochs" "$batch" "$(limit_json "$train_limit")" "$(limit_json "$test_limit")" "$seed" "$precision")
run=$(curl -fsS -X POST http://127.0.0.1:8081/api/runs -H "Authorization: Bearer $NIN_API_TOKEN" \
  -H 'Content-Type: application/json' -d "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
nin_log "pipeline run $run posted: $body"
while :; do
  status=$(curl -fsS "http://127.0.0.1:8081/api/runs/$run" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["status"], r["step"], r.get("totalSteps"), r.get("imagesPerSecond"), r.get("etaSeconds"))')
  set -- $status
  [[ "$1" == SUCCEEDED ]] && break
  [[ "$1" == FAILED || "$1" == CANCELLED || "$1" == STOPPED_EARLY ]] && nin_die "run $run ended $1"
  nin_log "run $run: $1, step $2/$3, ${4} img/s, ETA ${5} s"
  sleep 10
done

sql() { PGPASSWORD="$NIN_DB_PASSWORD" psql -h "$NIN_DB_HOST" -p "$NIN_DB_PORT" -U "$NIN_DB_USER" -d "$NIN_DB_NAME" -Atc "$1"; }
pipeline=$(sql "select sum(images) / sum(images / images_per_s) from run_metric where run_id = '$run' and scope = 'epoch' and split = 'train'")
top1=$(sql "select top1 from run_metric where run_id = '$run' and scope = 'epoch' and split = 'test' order by epoch desc limit 1")
ingest=$(grep "run $run published" "$NIN_LOCAL_DIR/services/ingest-service.log" | tail -1 | sed -E 's/.* ([0-9]+) batches sent.* in ([0-9]+) ms.*/\1 \2/')

inmemory_after=$(inmemory_images_per_s)
inmemory=$(echo "($inmemory_before + $inmemory_after) / 2" | bc -l)

read -r sent ms <<<"$ingest"
printf 'run_id=%s\n' "$run"
printf 'pipeline_test_top1=%s\n' "$top1"
printf 'pipeline_images_per_s=%.1f\n' "$pipeline"
printf 'inmemory_before_images_per_s=%s\n' "$inmemory_before"
printf 'inmemory_after_images_per_s=%s\n' "$inmemory_after"
printf 'inmemory_images_per_s=%.1f\n' "$inmemory"
printf 'ingest_batches_per_s=%.1f\n' "$(echo "$sent * 1000 / $ms" | bc -l)"
printf 'pipeline_over_inmemory=%.3f\n' "$(echo "$pipeline / $inmemory" | bc -l)"
