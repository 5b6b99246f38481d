#!/usr/bin/env bash
# Drives the real local stack (scripts/stack.sh + the three services) through faults and checks
# the outcome of each; key=value lines, the summary last. Takes about 10 minutes here.
#   1. an uninterrupted baseline run (96 px, 2 epochs, 6,000 training images, seed 11)
#   2. the same run, its trainer SIGKILLed three times (mid-epoch, during evaluation, while the
#      epoch checkpoint is written) and restarted each time; fails unless all three kills landed
#      and every resumed attempt started from its checkpoint (run_attempt), and unless it ends
#      with the baseline's weights, bit for bit, at each epoch (final_weights_identical)
#   3. a run during which the Kafka broker restarts
#   4. a run during which PostgreSQL restarts (inference must keep serving meanwhile)
#   5. ten hot reloads under REST load
#   6. a run whose ingest service is SIGKILLed mid-publication and restarted
#   7. the bad-input catalogue (dev.nin.tools.chaos.BadInputCatalogue)
#   8. a poison pill: a training request whose run topic holds foreign records, then a real run;
#      times how long the real run waits for its data, beside the same run without the pill
#   9. small predicts while four clients upload huge 16-bit PNGs (dev.nin.tools.chaos.UploadIsolation)
# Every run's topics are followed while it runs (TopicCensus --follow): ingest deletes them when the
# run ends. The broker's data size is printed before and after (kafka_data_mb_before/after), and how
# far ingest published ahead of the trainer in stage 6's three-epoch run (max_epochs_ahead).
# Usage: scripts/chaos.sh            (leaves the stack and services running)
set -euo pipefail
source "$(dirname "$0")/lib/env.sh"
source "$NIN_ROOT/scripts/lib/services.sh"
source "$NIN_ROOT/scripts/lib/client.sh"
cd "$NIN_ROOT"

LOGS="$NIN_LOCAL_DIR/services"
TRAINER=http://127.0.0.1:8081
INFERENCE=http://127.0.0.1:8082
RUN_CONFIG='"resize": 96, "epochs": 2, "trainLimit": 6000, "testLimit": 2000, "batchSize": 128, "logEvery": 5, "checkpointEverySteps": 5, "seed": 11'
IMAGES_PER_EPOCH=6000
failures=()
say() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }
fail() { nin_log "FAILED: $*"; failures+=("$*"); }

# ------------------------------------------------------------------------------------ set-up --
scripts/dataset.sh --verify >&2
services_build
scripts/stack.sh up >&2
token_file="$NIN_LOCAL_DIR/api-token"
if [[ -z "${NIN_API_TOKEN:-}" ]]; then
  [[ -s "$token_file" ]] || (umask 077; mkdir -p "$NIN_LOCAL_DIR"; head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$token_file")
  NIN_API_TOKEN=$(cat "$token_file")
fi
export NIN_API_TOKEN
# A killed trainer's run is claimed again once its heartbeat is 5 s old (30 s by default).
export NIN_TRAINER_STALE_AFTER=PT5S NIN_TRAINER_HEARTBEAT_INTERVAL=PT1S NIN_TRAINER_POLL_INTERVAL=PT0.5S
export NIN_INFERENCE_POLL_INTERVAL=PT2S
scripts/services.sh stop >&2   # fresh processes with the settings above
scripts/services.sh start >&2
export DB_URL="jdbc:postgresql://$NIN_DB_HOST:$NIN_DB_PORT/$NIN_DB_NAME" DB_USER="$NIN_DB_USER" DB_PASSWORD="$NIN_DB_PASSWORD"
client_build >&2   # once, before any client runs in the background
EPOCHS_AHEAD=${NIN_RUN_TOPICS_EPOCHS_AHEAD:-1}
kafka_data_mb() { du -sm "$NIN_LOCAL_DIR/kafka/data" | cut -f1; }
kafka_data_mb_before=$(kafka_data_mb)
now() { date +%s.%N; }

sql() { PGPASSWORD="$NIN_DB_PASSWORD" psql -h "$NIN_DB_HOST" -p "$NIN_DB_PORT" -U "$NIN_DB_USER" -d "$NIN_DB_NAME" -Atc "$1"; }
field() { curl -fsS "$TRAINER/api/runs/$1" | python3 -c "import json,sys; v=json.load(sys.stdin).get('$2'); print('' if v is None else v)"; }
post_run() { # post_run NAME [extra json]: the extra fields replace RUN_CONFIG's (no key twice)
  local body
  body=$(python3 -c 'import json, sys
fields = json.loads("{" + sys.argv[2] + "}")
fields.update(json.loads("{" + sys.argv[3] + "}"))
print(json.dumps({"name": sys.argv[1], **fields}))' "$1" "$RUN_CONFIG" "${2:-}")
  curl -fsS -X POST "$TRAINER/api/runs" -H "Authorization: Bearer $NIN_API_TOKEN" -H 'Content-Type: application/json' \
    -d "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' | follow_run
}
follow_run() { # reads a run id, starts following its train topic (ingest deletes it at the end), echoes the id
  local id
  read -r id
  rm -f "$LOGS/census-$id.rc"
  (client_java dev.nin.tools.chaos.TopicCensus --follow "$id" >"$LOGS/census-$id.txt" 2>"$LOGS/census-$id.log"
   echo $? >"$LOGS/census-$id.rc") >/dev/null 2>&1 &
  echo "$id"
}
census_of() { # census_of ID: waits for the follower (the topic's deletion), then prints its census
  local deadline=$((SECONDS + 120))
  until [[ -s "$LOGS/census-$1.rc" ]]; do
    ((SECONDS < deadline)) || { nin_log "run $1: its topic was not deleted within 120 s of the end"; return 1; }
    sleep 0.2
  done
  [[ "$(cat "$LOGS/census-$1.rc")" == 0 ]] || { nin_log "run $1: following its topic failed: $(tail -3 "$LOGS/census-$1.log")"; return 1; }
  cat "$LOGS/census-$1.txt"
}
await_status() { # await_status ID STATUS TIMEOUT_S
  local deadline=$((SECONDS + $3)) status
  while :; do
    status=$(field "$1" status 2>/dev/null || echo unreachable)
    [[ "$status" == "$2" ]] && return 0
    [[ "$status" == FAILED || "$status" == CANCELLED ]] && { nin_log "run $1 ended $status: $(field "$1" error)"; return 1; }
    ((SECONDS < deadline)) || { nin_log "run $1 still $status after $3 s"; return 1; }
    sleep 1
  done
}
await_step() { # await_step ID STEP: until the run reached the step
  local deadline=$((SECONDS + 300))
  until [[ "$(field "$1" step 2>/dev/null || echo 0)" -ge "$2" ]]; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}
log_lines() { wc -l <"$LOGS/$1.log"; }
await_log() { # await_log SERVICE FROM_LINE PATTERN TIMEOUT_S: a new log line matching PATTERN
  local deadline=$((SECONDS + $4))
  until tail -n +"$(($2 + 1))" "$LOGS/$1.log" | grep -q -- "$3"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.05
  done
}
kill9() { local pid; pid=$(cat "$LOGS/$1.pid"); kill -9 "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done; nin_log "SIGKILLed $1 (pid $pid)"; }
epoch_images() { sql "select string_agg(images::text, ',' order by epoch) from run_metric where run_id = '$1' and scope = 'epoch' and split = 'train'"; }
test_top1() { sql "select top1 from run_metric where run_id = '$1' and scope = 'epoch' and split = 'test' order by epoch desc limit 1"; }
count_images() { # count_images ID EPOCHS PER_EPOCH: adds to lost/duplicated, 0 if exact
  # The independent side is the run's train topic, read from the broker while the run went
  # (TopicCensus --follow; the topic is gone once the run ends): per
  # epoch its images and the digest of its batches (dev.nin.contracts.BatchDigest). The trainer's
  # side is each epoch checkpoint's digest of the batches it applied. A lost batch and a repeated
  # one in the same epoch leave the image count right but not the digest.
  local census trained lost=0 dup=0 mismatched=0 epoch images batches twice digest n=0 applied
  census=$(census_of "$1") || { batch_sets_mismatched=$((batch_sets_mismatched + 1)); return 1; }
  trained=$(epoch_images "$1")
  while read -r epoch images batches twice digest _published; do
    n=$((n + 1))
    ((images == $3)) || { nin_log "run $1 epoch $epoch: the topic holds $images images, expected $3"; mismatched=$((mismatched + 1)); }
    ((twice == 0)) || { nin_log "run $1 epoch $epoch: $twice batches published twice"; dup=$((dup + twice)); }
    applied=$(sql "select coalesce(epoch_batches_digest::text, '-') || ' ' || coalesce((select images from run_metric m
                   where m.run_id = c.run_id and m.scope = 'epoch' and m.split = 'train' and m.epoch = c.epoch), 0)
                   from checkpoint c where c.run_id = '$1' and c.kind = 'epoch' and c.epoch = $epoch")
    read -r applied_digest applied_images <<<"${applied:-- 0}"
    ((applied_images < images)) && lost=$((lost + images - applied_images))
    ((applied_images > images)) && dup=$((dup + applied_images - images))
    if [[ "$applied_digest" != "$digest" ]]; then
      nin_log "run $1 epoch $epoch: the batches applied differ from the topic's (digest $applied_digest, topic $digest)"
      mismatched=$((mismatched + 1))
    fi
  done <<<"$census"
  ((n == $2)) || { nin_log "run $1: the topic holds $n epochs, expected $2"; mismatched=$((mismatched + 1)); }
  images_lost=$((images_lost + lost)); images_duplicated=$((images_duplicated + dup))
  batch_sets_mismatched=$((batch_sets_mismatched + mismatched))
  nin_log "run $1: trainer's images per epoch $trained; against the topic: lost $lost, duplicated $dup, epochs whose batches differ $mismatched"
  ((lost == 0 && dup == 0 && mismatched == 0))
}
images_lost=0 images_duplicated=0 batch_sets_mismatched=0

# -------------------------------------------------------------------------------- 1 baseline --
say "1/9 baseline: an uninterrupted run"
baseline=$(post_run chaos-baseline)
await_status "$baseline" SUCCEEDED 600 || fail "the baseline run did not succeed"
baseline_top1=$(test_top1 "$baseline")
count_images "$baseline" 2 $IMAGES_PER_EPOCH || fail "baseline image counts"
nin_log "baseline $baseline: test top-1 $baseline_top1"

# ----------------------------------------------------------------------- 2 trainer SIGKILLs --
say "2/9 the same run, its trainer SIGKILLed three times"
kills=0
from=$(log_lines trainer-service)
killed=$(post_run chaos-trainer-kills)
if await_step "$killed" 12; then
  at=$(field "$killed" step)
  kill9 trainer-service; kills=$((kills + 1)); nin_log "kill 1: mid-epoch, the run at step $at"
fi
service_start trainer-service >&2
if await_log trainer-service "$from" "run $killed epoch 0: evaluating" 300; then
  kill9 trainer-service; kills=$((kills + 1)); nin_log "kill 2: during the evaluation of epoch 0"
fi
from=$(log_lines trainer-service)
service_start trainer-service >&2
kill3_epoch=""
if await_log trainer-service "$from" "run $killed epoch [01]: writing the epoch checkpoint" 300; then
  kill9 trainer-service; kills=$((kills + 1)); nin_log "kill 3: while the epoch checkpoint was being written"
  kill3_epoch=$(tail -n +"$((from + 1))" "$LOGS/trainer-service.log" | grep -o "run $killed epoch [01]: writing the epoch checkpoint" | tail -1 | sed -E 's/.* epoch ([01]):.*/\1/')
fi
service_start trainer-service >&2
survived=0
if await_status "$killed" SUCCEEDED 600; then survived=$kills; else fail "the killed run did not succeed"; fi
count_images "$killed" 2 $IMAGES_PER_EPOCH || fail "image counts after the trainer kills"
killed_top1=$(test_top1 "$killed")
attempts=$(field "$killed" attempts)
nin_log "run $killed: $attempts attempts, test top-1 $killed_top1 (baseline $baseline_top1)"
((kills == 3)) || fail "only $kills of the 3 trainer kills landed"
[[ "$attempts" == 4 ]] || fail "the killed run took $attempts attempts, expected 4 (three kills)"
# Where each attempt started, as the database recorded it (run_attempt): every later attempt
# restored a checkpoint and read the train topic from that checkpoint's position (one record a
# batch, so the next offset equals the steps applied), never from scratch.
sql "select a.attempt, coalesce(c.kind, '-'), coalesce(c.epoch, -1), a.start_step, a.start_offset from run_attempt a
     left join checkpoint c on c.id = a.resumed_from_checkpoint where a.run_id = '$killed' order by a.attempt" \
  | while IFS='|' read -r n kind epoch step offset; do nin_log "attempt $n: from $kind checkpoint of epoch $epoch, step $step, offset $offset"; done
fresh=$(sql "select count(*) from run_attempt where run_id = '$killed' and attempt > 1
             and (resumed_from_checkpoint is null or start_step = 0 or start_step <> start_offset)")
[[ "$fresh" == 0 ]] || fail "$fresh resumed attempt(s) did not continue from their checkpoint's step and offset"
# Kill 2 landed during the evaluation of epoch 0: epoch 0's checkpoint was not written yet, so the
# third attempt resumed from a mid-epoch checkpoint of epoch 0. Kill 3 landed while an epoch
# checkpoint was written: the fourth attempt resumed inside that epoch or from its just-committed end.
third=$(sql "select c.kind || ' ' || c.epoch from run_attempt a join checkpoint c on c.id = a.resumed_from_checkpoint
             where a.run_id = '$killed' and a.attempt = 3")
[[ "$third" == "resume 0" ]] || fail "kill 2 did not land during epoch 0's evaluation (attempt 3 resumed from '$third')"
fourth=$(sql "select c.kind || ' ' || c.epoch from run_attempt a join checkpoint c on c.id = a.resumed_from_checkpoint
              where a.run_id = '$killed' and a.attempt = 4")
[[ -n "$kill3_epoch" && ( "$fourth" == "resume $kill3_epoch" || "$fourth" == "epoch $kill3_epoch" ) ]] \
  || fail "kill 3 did not land while epoch ${kill3_epoch:-?}'s checkpoint was written (attempt 4 resumed from '$fourth')"
# The weights, not only the accuracy: the killed run must end bit-identical to the baseline
# (same device, precision and threads; docs/reproducibility.md), epoch by epoch.
final_weights_identical=false
weights_per_epoch() { sql "select string_agg(coalesce(weights_sha256, 'none'), ',' order by epoch) from checkpoint where run_id = '$1' and kind = 'epoch'"; }
killed_weights=$(weights_per_epoch "$killed")
baseline_weights=$(weights_per_epoch "$baseline")
nin_log "weights by epoch: baseline $baseline_weights, killed run $killed_weights"
if [[ -n "$killed_weights" && "$killed_weights" == "$baseline_weights" && "$killed_weights" != *none* ]]; then
  final_weights_identical=true
else
  fail "the killed run's weights differ from the baseline's"
fi
delta=$(python3 -c "print(abs(float('${killed_top1:-0}') - float('${baseline_top1:-1}')))")
python3 -c "import sys; sys.exit(0 if $delta <= 0.005 else 1)" || fail "final top-1 differs by $delta"

# -------------------------------------------------------------------------- 3 Kafka restart --
say "3/9 a run while the Kafka broker restarts"
kafka_ok=false
run=$(post_run chaos-kafka-restart)
if await_step "$run" 10; then
  scripts/stack.sh restart kafka >&2
  if await_status "$run" SUCCEEDED 600 && count_images "$run" 2 $IMAGES_PER_EPOCH; then kafka_ok=true; fi
fi
[[ $kafka_ok == true ]] || fail "kafka restart"

# --------------------------------------------------------------------- 4 PostgreSQL restart --
say "4/9 a run while PostgreSQL restarts"
postgres_ok=false
run=$(post_run chaos-postgres-restart)
if await_step "$run" 10; then
  scripts/stack.sh down postgres >&2
  served=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$INFERENCE/api/predict" -H 'Content-Type: application/json' \
    -d "{\"pixels\": [$(python3 -c 'print(",".join(["0"]*784))')]}")
  ready=$(curl -s -o /dev/null -w '%{http_code}' "$INFERENCE/q/health/ready")
  dependencies=$(curl -s "$INFERENCE/q/health/group/dependencies" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])' || echo "?")
  nin_log "PostgreSQL down: inference predict $served, ready $ready, dependencies $dependencies"
  sleep 3   # an outage of a few seconds, with the trainer writing metrics meanwhile
  scripts/stack.sh up postgres >&2
  if await_status "$run" SUCCEEDED 600 && count_images "$run" 2 $IMAGES_PER_EPOCH; then
    steps=$(sql "select count(*) from run_metric where run_id = '$run' and scope = 'step'")
    checkpoints=$(sql "select count(*) from checkpoint where run_id = '$run' and kind = 'epoch'")
    nin_log "run $run: $steps step metric rows (expected 18), $checkpoints epoch checkpoints (expected 2)"
    [[ "$served" == 200 && "$ready" == 200 && "$dependencies" == DOWN && "$steps" == 18 && "$checkpoints" == 2 ]] && postgres_ok=true
  fi
fi
[[ $postgres_ok == true ]] || fail "postgres restart"

# ---------------------------------------------------------------------------- 5 hot reloads --
say "5/9 ten hot reloads under load"
reload_out=$(client_java dev.nin.tools.bench.ReloadUnderLoad --reloads 10)
reload_failed=$(sed -n 's/^reload_failed_requests=//p' <<<"$reload_out")
reloads_done=$(sed -n 's/^reloads_done=//p' <<<"$reload_out")
[[ "$reload_failed" == 0 && "$reloads_done" == 10 ]] || fail "hot reloads: $reloads_done done, $reload_failed failed requests"

# --------------------------------------------------------------------------- 6 ingest SIGKILL --
say "6/9 a run whose ingest service is SIGKILLed mid-publication"
ingest_ok=false
from=$(log_lines ingest-service)
run=$(post_run chaos-ingest-kill '"epochs": 3, "trainLimit": 20000, "resize": 67, "checkpointEverySteps": 50')
if await_log ingest-service "$from" "run $run: publishing nin.run.$run.train through batch [0-9]* of [0-9]*, 0 already there" 120; then
  sleep 0.2
  kill9 ingest-service
  if grep -q "run $run published" <(tail -n +"$((from + 1))" "$LOGS/ingest-service.log"); then
    nin_log "the publication had finished before the kill: not a mid-publication kill"
  else
    from=$(log_lines ingest-service)
    service_start ingest-service >&2
    if await_log ingest-service "$from" "run $run published" 120; then
      resumed=$(tail -n +"$((from + 1))" "$LOGS/ingest-service.log" | grep "run $run published" | head -1 | sed -E 's/.*(published .*) in [0-9]+ ms.*/\1/')
      nin_log "after the restart: $resumed"
      if await_status "$run" SUCCEEDED 900 && count_images "$run" 3 20000; then ingest_ok=true; fi
      # how far ahead ingest published: at each epoch's first batch, the epochs the trainer had
      # finished (its epoch checkpoints' commit times) say which epoch it was on
      max_epochs_ahead=0
      while read -r epoch _ _ _ _ published_ms; do
        done_before=$(sql "select count(*) from checkpoint where run_id = '$run' and kind = 'epoch'
                           and created_at < to_timestamp($published_ms / 1000.0)")
        ahead=$((epoch - done_before))
        nin_log "run $run: epoch $epoch published while the trainer was on epoch $done_before ($ahead ahead)"
        ((ahead > max_epochs_ahead)) && max_epochs_ahead=$ahead
      done <"$LOGS/census-$run.txt"
      ((max_epochs_ahead <= EPOCHS_AHEAD)) || fail "ingest published $max_epochs_ahead epochs ahead, configured $EPOCHS_AHEAD"
    fi
  fi
fi
[[ $ingest_ok == true ]] || fail "ingest kill"
scripts/services.sh status >/dev/null || service_start ingest-service >&2

# --------------------------------------------------------------------- 7 bad-input catalogue --
say "7/9 the bad-input catalogue"
catalogue_out=$(client_java dev.nin.tools.chaos.BadInputCatalogue) || fail "bad-input catalogue"
bad_tried=$(sed -n 's/^bad_inputs_tried=//p' <<<"$catalogue_out")
bad_5xx=$(sed -n 's/^bad_inputs_5xx=//p' <<<"$catalogue_out")

# ----------------------------------------------------------------------------- 8 poison pill --
say "8/9 a poison pill, then a real run"
SHORT_RUN='"resize": 67, "epochs": 1, "trainLimit": 1000, "testLimit": 500'
time_to_first_step() { # time_to_first_step NAME: seconds from posting a short run to its first step
  local t0 run
  t0=$(now)
  run=$(post_run "$1" "$SHORT_RUN")
  await_step "$run" 1 || { nin_log "run $run never took a step"; echo -1; return; }
  python3 -c "print(f'{$(now) - $t0:.1f}')"
  await_status "$run" SUCCEEDED 300 >/dev/null || true
  census_of "$run" >/dev/null || true
}
poison_pill_baseline_s=$(time_to_first_step chaos-before-poison)
pill_out=$(client_java dev.nin.tools.chaos.PoisonPill)
poison_run=$(sed -n 's/^poison_run=//p' <<<"$pill_out")
poison_pill_recovered_s=$(time_to_first_step chaos-after-poison)
nin_log "a short run's first step: ${poison_pill_baseline_s} s without the pill, ${poison_pill_recovered_s} s right after it"
pill_letter=$(client_java dev.nin.tools.chaos.DeadLetters "$poison_run" 2>/dev/null || true)
grep -q "run topic conflict" <<<"$pill_letter" || fail "the poison pill's request was not dead-lettered as a run topic conflict"
python3 -c "import sys; sys.exit(0 if 0 <= $poison_pill_recovered_s <= 3 * $poison_pill_baseline_s + 10 else 1)" \
  || fail "after the poison pill the next run waited ${poison_pill_recovered_s} s (${poison_pill_baseline_s} s without it)"
ingest_ready=$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8080/q/health/ready)
[[ "$ingest_ready" == 200 ]] || fail "ingest readiness $ingest_ready after the poison pill"

# ---------------------------------------------------------------------------- 9 event loops --
say "9/9 small predicts while four clients upload huge PNGs"
uploads_out=$(client_java dev.nin.tools.chaos.UploadIsolation) || fail "upload isolation"
small_p50_quiet=$(sed -n 's/^small_request_p50_ms_baseline=//p' <<<"$uploads_out")
small_p50_busy=$(sed -n 's/^small_request_p50_ms_during_big_uploads=//p' <<<"$uploads_out")
small_max_busy=$(sed -n 's/^small_request_max_ms_during_big_uploads=//p' <<<"$uploads_out")
big_done=$(sed -n 's/^big_uploads_done=//p' <<<"$uploads_out")
nin_log "small predicts: p50 ${small_p50_quiet} ms alone, ${small_p50_busy} ms (max ${small_max_busy}) during the uploads; $big_done uploads decoded"
((${small_max_busy:-99999} < 1000)) || fail "a small predict took ${small_max_busy} ms during the uploads"

# the broker once every run's topics are gone (their files go a second after deletion)
sleep 3
kafka_data_mb_after=$(kafka_data_mb)

# ---------------------------------------------------------------------------------- summary --
printf 'baseline_test_top1=%s\n' "$baseline_top1"
printf 'killed_run_test_top1=%s\n' "$killed_top1"
printf 'killed_run_attempts=%s\n' "$attempts"
printf 'ingest_kill_ok=%s\n' "$ingest_ok"
printf 'reloads_done=%s\n' "$reloads_done"
printf 'trainer_kills_survived=%s\n' "$survived"
printf 'images_lost=%s\n' "$images_lost"
printf 'images_duplicated=%s\n' "$images_duplicated"
printf 'batch_sets_mismatched=%s\n' "$batch_sets_mismatched"
printf 'final_top1_delta=%.4f\n' "$delta"
printf 'final_weights_identical=%s\n' "$final_weights_identical"
printf 'kafka_restart_ok=%s\n' "$kafka_ok"
printf 'postgres_restart_ok=%s\n' "$postgres_ok"
printf 'reload_failed_requests=%s\n' "$reload_failed"
printf 'bad_inputs_tried=%s\n' "$bad_tried"
printf 'bad_inputs_5xx=%s\n' "$bad_5xx"
printf 'max_epochs_ahead=%s\n' "${max_epochs_ahead:-?}"
printf 'epochs_ahead_configured=%s\n' "$EPOCHS_AHEAD"
printf 'kafka_data_mb_before=%s\n' "$kafka_data_mb_before"
printf 'kafka_data_mb_after=%s\n' "$kafka_data_mb_after"
printf 'poison_pill_baseline_s=%s\n' "$poison_pill_baseline_s"
printf 'poison_pill_recovered_s=%s\n' "$poison_pill_recovered_s"
printf 'small_request_p50_ms_baseline=%s\n' "$small_p50_quiet"
printf 'small_request_p50_ms_during_big_uploads=%s\n' "$small_p50_busy"
printf 'small_request_max_ms_during_big_uploads=%s\n' "$small_max_busy"
if ((${#failures[@]})); then
  printf 'chaos=FAIL (%s)\n' "$(IFS=';'; echo "${failures[*]}")"
  exit 1
fi
echo "chaos=PASS"
