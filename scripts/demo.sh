#!/usr/bin/env bash
# The product end to end on one machine without Docker:
#   dataset -> local Kafka + PostgreSQL -> the three services -> a short training run, watched
#   -> its first checkpoint served -> run history from psql -> predictions over REST and gRPC.
# Everything it starts stays up (a second run reuses it). Stop it all with: scripts/demo.sh stop
#
#   scripts/demo.sh [--resize 67] [--epochs 2] [--train-limit N] [--seed 1]
# The default, two epochs on all 60,000 training images at 67 px (the smallest input the seed's NiN
# takes), reaches test top-1 0.88 in about three and a half minutes of training on 2 cores. The seed's recipe at
# 96 px is one flag away (--resize 96); --train-limit 20000 trains on a stratified subset.
set -euo pipefail
source "$(dirname "$0")/lib/env.sh"
source "$NIN_ROOT/scripts/lib/services.sh"
cd "$NIN_ROOT"

if [[ "${1:-}" == stop ]]; then
  scripts/services.sh stop
  scripts/stack.sh down
  exit 0
fi
resize=67 epochs=2 train_limit='' seed=1
while (($#)); do
  case "$1" in
    --resize) resize=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    --train-limit) train_limit=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    *) nin_die "unknown option $1 (see the header of scripts/demo.sh)" ;;
  esac
done
started=$SECONDS
step() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }

step "1/7 dataset (Fashion-MNIST IDX files, checked against their SHA-256)"
scripts/dataset.sh --verify

step "2/7 build"
if [[ ! -f "$TENSORFLOW_LIBRARY_PATH/libjnitensorflow.so" ]]; then
  nin_log "first build of this checkout: Maven fetches what its local repository lacks from Maven Central"
  nin_log "(Quarkus 3.33, Kafka 4.1 clients and broker, TensorFlow 2.16 natives ~600 MB, DJL, protobuf/gRPC,"
  nin_log " the PostgreSQL driver and embedded PostgreSQL for tests); on an empty ~/.m2 this takes minutes"
fi
services_build

step "3/7 local Kafka and PostgreSQL"
scripts/stack.sh up

step "4/7 services"
token_file="$NIN_LOCAL_DIR/api-token"
if [[ -z "${NIN_API_TOKEN:-}" ]]; then
  if [[ ! -s "$token_file" ]]; then
    mkdir -p "$NIN_LOCAL_DIR"
    (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$token_file")
  fi
  NIN_API_TOKEN=$(cat "$token_file")
fi
export NIN_API_TOKEN
scripts/services.sh start
scripts/services.sh status

step "5/7 a training run: NiN at ${resize} px, ${epochs} epoch(s), ${train_limit:-all 60000} training images, seed ${seed}"
body=$(printf '{"name":"demo","resize":%s,"epochs":%s,%s"seed":%s,"logEvery":10}' \
  "$resize" "$epochs" "${train_limit:+\"trainLimit\":$train_limit,}" "$seed")
answer=$(curl -sS -X POST http://127.0.0.1:8081/api/runs -H "Authorization: Bearer $NIN_API_TOKEN" \
  -H 'Content-Type: application/json' -d "$body" -w '\n%{http_code}')
code=${answer##*$'\n'}
[[ "$code" == 201 ]] || nin_die "POST /api/runs answered $code: ${answer%$'\n'*}
(a trainer started earlier with another NIN_API_TOKEN? scripts/services.sh stop, then run this again)"
run=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["id"])' "${answer%$'\n'*}")
nin_log "run $run queued: $body"
while :; do
  view=$(curl -fsS "http://127.0.0.1:8081/api/runs/$run")
  read -r status line < <(python3 -c '
import json, sys
r = json.loads(sys.argv[1])
def f(v, fmt): return "-" if v is None else fmt % v
train = next((m for m in r.get("latestMetrics") or [] if m["split"] == "train"), {})
print(r["status"], "epoch %s/%s, step %s/%s (%s), %s img/s, ETA %s s, train loss %s, top-1 %s" % (
    r["epoch"], r["hyperparameters"]["epochs"], r["step"], f(r.get("totalSteps"), "%d"),
    f(r["progress"] * 100 if r.get("progress") is not None else None, "%.0f%%"),
    f(r.get("imagesPerSecond"), "%.0f"), f(r.get("etaSeconds"), "%d"),
    f(train.get("loss"), "%.3f"), f(train.get("top1"), "%.3f")))
' "$view")
  nin_log "$status $line"
  case "$status" in
    SUCCEEDED) break ;;
    FAILED|CANCELLED) nin_die "run $run ended $status: $view" ;;
  esac
  sleep 5
done

step "6/7 the run's checkpoint, served by inference-service"
deadline=$((SECONDS + 120))
# each epoch's checkpoint is swapped in as it is written: wait for the last epoch's
until curl -fsS http://127.0.0.1:8082/api/model | python3 -c '
import json, sys
a = json.load(sys.stdin).get("active") or {}
sys.exit(0 if a.get("runId") == sys.argv[1] and a.get("epoch") == int(sys.argv[2]) - 1 else 1)' "$run" "$epochs"; do
  ((SECONDS < deadline)) || nin_die "inference-service did not serve run $run within 120 s (see .local/services/inference-service.log)"
  sleep 1
done
curl -fsS http://127.0.0.1:8082/api/model | python3 -c '
import json, sys
m = json.load(sys.stdin)
a = m["active"]
print("serving checkpoint %s of run %s (after epoch %s, test top-1 %.4f); last events:" % (a["checkpointId"], a["runId"], a["epoch"] + 1, a["testTop1"]))
for e in m["history"][:3]:
    print("  %s %s checkpoint %s %s" % (e["at"], e["kind"], e.get("checkpointId"), e.get("detail") or ("in %s ms" % e.get("millis") if e.get("millis") is not None else "")))'

step "7/7 run history (psql) and predictions (REST, gRPC)"
export PGPASSWORD="$NIN_DB_PASSWORD"
psql -h "$NIN_DB_HOST" -p "$NIN_DB_PORT" -U "$NIN_DB_USER" -d "$NIN_DB_NAME" -P pager=off -c "
select left(id::text, 8) as run, name, status, resize, epochs_done, train_limit,
       round(best_test_top1::numeric, 4) as best_top1, round(best_test_top5::numeric, 4) as best_top5,
       round(duration_s::numeric) as seconds, round(images_per_s::numeric) as img_per_s, device
  from run_summary order by created_at desc limit 5;"
psql -h "$NIN_DB_HOST" -p "$NIN_DB_PORT" -U "$NIN_DB_USER" -d "$NIN_DB_NAME" -P pager=off -c "
select split, epoch, step, images, round(loss::numeric, 4) as loss, round(top1::numeric, 4) as top1,
       round(top5::numeric, 4) as top5, round(images_per_s::numeric) as img_per_s
  from run_metric where run_id = '$run' and scope = 'epoch' order by epoch, split;"
scripts/predict.sh --images 8
scripts/predict.sh --images 8 --grpc

step "done in $((SECONDS - started)) s"
cat >&2 <<MSG
Everything is still running:
  trainer   http://127.0.0.1:8081  (POST /api/runs needs: Authorization: Bearer \$(cat $token_file))
  inference http://127.0.0.1:8082  (REST + gRPC)   ingest http://127.0.0.1:8080
  Kafka 127.0.0.1:9092, PostgreSQL 127.0.0.1:5432 (psql -h 127.0.0.1 -U nin nin)
Stop it all: scripts/demo.sh stop
MSG
