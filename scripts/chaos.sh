#!/usr/bin/env bash
# Drives the real local stack (scripts/stack.sh + the three services) through faults, then has
# system-tests' ChaosOutcomesIT judge what the product made of each (from the database, the broker
# and each run's topic census); key=value lines, the summary last. Takes about 12 minutes here.
#   1. an uninterrupted baseline run (96 px, 2 epochs, 6,000 training images, seed 11)
#   2. the same run, its trainer SIGKILLed three times (mid-epoch, during evaluation, while the
#      epoch checkpoint is written) and restarted each time; judged: all three kills landed, every
#      resumed attempt started from its checkpoint (run_attempt), and the run ends with the
#      baseline's weights, bit for bit, at each epoch (final_weights_identical)
#   3. a run during which the Kafka broker restarts
#   4. a run during which PostgreSQL restarts (inference must keep serving meanwhile)
#   5. ten hot reloads under REST load
#   6. a run whose ingest service is SIGKILLed mid-publication and restarted
#   7. the bad-input catalogue (dev.nin.tools.chaos.BadInputCatalogue)
#   8. a poison pill: a training request whose run topic holds foreign records, then a real run;
#      times how long the real run waits for its data, beside the same run without the pill
#   9. small predicts while four clients upload huge 16-bit PNGs (dev.nin.tools.chaos.UploadIsolation)
# This script only drives: it records what it did and saw ($NIN_LOCAL_DIR/services/
# chaos-facts.properties: run ids, the kills that landed, what inference answered while the
# database was down, the fault tools' outputs); every verdict is a check in
# system-tests/src/test/java/dev/nin/system/chaos/ChaosOutcomesIT.java (mvn -Pchaos), which writes
# the summary printed here. Every run's topics are followed while it runs (TopicCensus --follow):
# ingest deletes them when the run ends; the verdicts compare each census with the batches the
# trainer applied. The broker's data size is printed before and after (kafka_data_mb_before/after),
# and how far ingest published ahead of the trainer in stage 6's three-epoch run (max_epochs_ahead).
# Usage: scripts/chaos.sh            (leaves the stack and services running)
set -euo pipefail
source "$(dirname "$0")/lib/env.sh"
source "$NIN_ROOT/scripts/lib/services.sh"
source "$NIN_ROOT/scripts/lib/client.sh"
cd "$NIN_ROOT"

LOGS="$NIN_LOCAL_DIR/services"
INFERENCE=http://127.0.0.1:8082
RUN_CONFIG='"resize": 96, "epochs": 2, "trainLimit": 6000, "testLimit": 2000, "batchSize": 128, "logEvery": 5, "checkpointEverySteps": 5, "seed": 11'
say() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }

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
kafka_data_mb() { du -sm "$NIN_LOCAL_DIR/kafka/data" | cut -f1; }
fact_kafka_data_mb_before=$(kafka_data_mb)

FACTS="$LOGS/chaos-facts.properties"
: >"$FACTS"
fact() { printf '%s=%s\n' "$1" "$2" >>"$FACTS"; } # fact KEY VALUE: what happened, for the verdicts
facts_from() { grep -E '^[a-z_0-9]+=' >>"$FACTS" || true; } # a tool's key=value lines, as facts
run_control() { client_java dev.nin.tools.chaos.RunControl "$@"; }
post_run() { # post_run NAME [extra json]: the extra fields replace RUN_CONFIG's; echoes the id
  run_control post "$1" "$RUN_CONFIG" "${2:-}" | follow_run
}
follow_run() { # reads a run id, starts following its train topic (ingest deletes it at the end), echoes the id
  local id
  read -r id
  rm -f "$LOGS/census-$id.rc"
  (client_java dev.nin.tools.chaos.TopicCensus --follow "$id" >"$LOGS/census-$id.txt" 2>"$LOGS/census-$id.log"
   echo $? >"$LOGS/census-$id.rc") >/dev/null 2>&1 &
  echo "$id"
}
await_status() { run_control await-status "$1" "$2" "$3"; } # await_status ID STATUS TIMEOUT_S
await_step() { run_control await-step "$1" "$2" >/dev/null; } # await_step ID STEP: until the run reached it
log_lines() { wc -l <"$LOGS/$1.log"; }
await_log() { # await_log SERVICE FROM_LINE PATTERN TIMEOUT_S: a new log line matching PATTERN
  local deadline=$((SECONDS + $4))
  until tail -n +"$(($2 + 1))" "$LOGS/$1.log" | grep -q -- "$3"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.05
  done
}
kill9() { local pid; pid=$(cat "$LOGS/$1.pid"); kill -9 "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done; nin_log "SIGKILLed $1 (pid $pid)"; }

# -------------------------------------------------------------------------------- 1 baseline --
say "1/9 baseline: an uninterrupted run"
baseline=$(post_run chaos-baseline)
fact baseline_run "$baseline"
await_status "$baseline" SUCCEEDED 600 || nin_log "the baseline run did not succeed"

# ----------------------------------------------------------------------- 2 trainer SIGKILLs --
say "2/9 the same run, its trainer SIGKILLed three times"
kills=0
from=$(log_lines trainer-service)
killed=$(post_run chaos-trainer-kills)
fact killed_run "$killed"
if await_step "$killed" 12; then
  kill9 trainer-service; kills=$((kills + 1)); nin_log "kill 1: mid-epoch, the run past step 12"
fi
service_start trainer-service >&2
if await_log trainer-service "$from" "run $killed epoch 0: evaluating" 300; then
  kill9 trainer-service; kills=$((kills + 1)); nin_log "kill 2: during the evaluation of epoch 0"
fi
from=$(log_lines trainer-service)
service_start trainer-service >&2
if await_log trainer-service "$from" "run $killed epoch [01]: writing the epoch checkpoint" 300; then
  kill9 trainer-service; kills=$((kills + 1)); nin_log "kill 3: while the epoch checkpoint was being written"
  fact kill3_epoch "$(tail -n +"$((from + 1))" "$LOGS/trainer-service.log" | grep -o "run $killed epoch [01]: writing the epoch checkpoint" | tail -1 | sed -E 's/.* epoch ([01]):.*/\1/')"
fi
fact trainer_kills_landed "$kills"
service_start trainer-service >&2
await_status "$killed" SUCCEEDED 600 || nin_log "the killed run did not succeed"

# -------------------------------------------------------------------------- 3 Kafka restart --
say "3/9 a run while the Kafka broker restarts"
run=$(post_run chaos-kafka-restart)
fact kafka_run "$run"
if await_step "$run" 10; then
  scripts/stack.sh restart kafka >&2
  await_status "$run" SUCCEEDED 600 || nin_log "the run did not succeed across the broker's restart"
fi

# --------------------------------------------------------------------- 4 PostgreSQL restart --
say "4/9 a run while PostgreSQL restarts"
run=$(post_run chaos-postgres-restart)
fact postgres_run "$run"
if await_step "$run" 10; then
  scripts/stack.sh down postgres >&2
  zeros=$(printf '0,%.0s' $(seq 783))0
  fact postgres_down_predict_status "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$INFERENCE/api/predict" \
    -H 'Content-Type: application/json' -d "{\"pixels\": [$zeros]}")"
  fact postgres_down_ready_status "$(curl -s -o /dev/null -w '%{http_code}' "$INFERENCE/q/health/ready")"
  curl -s -o "$LOGS/chaos-dependencies.json" "$INFERENCE/q/health/group/dependencies" || true
  fact postgres_down_dependencies_file chaos-dependencies.json
  sleep 3   # an outage of a few seconds, with the trainer writing metrics meanwhile
  scripts/stack.sh up postgres >&2
  await_status "$run" SUCCEEDED 600 || nin_log "the run did not succeed across the database's restart"
fi

# ---------------------------------------------------------------------------- 5 hot reloads --
say "5/9 ten hot reloads under load"
{ client_java dev.nin.tools.bench.ReloadUnderLoad --reloads 10 || true; } | facts_from

# --------------------------------------------------------------------------- 6 ingest SIGKILL --
say "6/9 a run whose ingest service is SIGKILLed mid-publication"
from=$(log_lines ingest-service)
run=$(post_run chaos-ingest-kill '"epochs": 3, "trainLimit": 20000, "resize": 67, "checkpointEverySteps": 50')
fact ingest_run "$run"
if await_log ingest-service "$from" "run $run: publishing nin.run.$run.train through batch [0-9]* of [0-9]*, 0 already there" 120; then
  sleep 0.2
  kill9 ingest-service
  if grep -q "run $run published" <(tail -n +"$((from + 1))" "$LOGS/ingest-service.log"); then
    fact ingest_killed_mid_publication false
  else
    fact ingest_killed_mid_publication true
    from=$(log_lines ingest-service)
    service_start ingest-service >&2
    if await_log ingest-service "$from" "run $run published" 120; then
      nin_log "after the restart: $(tail -n +"$((from + 1))" "$LOGS/ingest-service.log" | grep "run $run published" | head -1 | sed -E 's/.*(published .*) in [0-9]+ ms.*/\1/')"
      await_status "$run" SUCCEEDED 900 || nin_log "the run did not succeed across ingest's kill"
    fi
  fi
fi
fact epochs_ahead_configured "${NIN_RUN_TOPICS_EPOCHS_AHEAD:-1}"
scripts/services.sh status >/dev/null || service_start ingest-service >&2

# --------------------------------------------------------------------- 7 bad-input catalogue --
say "7/9 the bad-input catalogue"
catalogue_exit=0
client_java dev.nin.tools.chaos.BadInputCatalogue >"$LOGS/chaos-catalogue.txt" || catalogue_exit=$?
facts_from <"$LOGS/chaos-catalogue.txt"
fact bad_input_catalogue_exit "$catalogue_exit"

# ----------------------------------------------------------------------------- 8 poison pill --
say "8/9 a poison pill, then a real run"
SHORT_RUN='"resize": 67, "epochs": 1, "trainLimit": 1000, "testLimit": 500'
first_step_s() { run_control first-step "$1" "$RUN_CONFIG" "$SHORT_RUN" | cut -d' ' -f2; } # seconds to a short run's first step
fact poison_pill_baseline_s "$(first_step_s chaos-before-poison)"
{ client_java dev.nin.tools.chaos.PoisonPill || true; } | facts_from
fact poison_pill_recovered_s "$(first_step_s chaos-after-poison)"
fact ingest_ready_after_pill "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8080/q/health/ready)"

# ---------------------------------------------------------------------------- 9 event loops --
say "9/9 small predicts while four clients upload huge PNGs"
uploads_exit=0
client_java dev.nin.tools.chaos.UploadIsolation >"$LOGS/chaos-uploads.txt" || uploads_exit=$?
facts_from <"$LOGS/chaos-uploads.txt"
fact upload_isolation_exit "$uploads_exit"

# the broker once every run's topics are gone (their files go a second after deletion)
sleep 3
fact kafka_data_mb_before "$fact_kafka_data_mb_before"
fact kafka_data_mb_after "$(kafka_data_mb)"

# ---------------------------------------------------------------------------------- verdicts --
say "verdicts: system-tests' ChaosOutcomesIT reads what the product made of it"
rm -f "$LOGS/chaos-summary.properties"
verdict=0
(cd "$NIN_ROOT" && mvn -B -ntp -q -pl system-tests verify -Pchaos -Dnin.chaos.facts="$FACTS" \
  -Dspotless.check.skip=true) >"$LOGS/chaos-verdicts.log" 2>&1 || verdict=$?
[[ -s "$LOGS/chaos-summary.properties" ]] || nin_die "the verdicts wrote no summary: $(tail -20 "$LOGS/chaos-verdicts.log")"
cat "$LOGS/chaos-summary.properties"
if ((verdict)); then
  reports=("$NIN_ROOT"/system-tests/target/failsafe-reports/*.txt)
  grep -h -A3 '<<< \(FAILURE\|ERROR\)' "${reports[@]}" >&2 || true
  failed=$(grep -hE '^dev\.nin\..* <<< (FAILURE|ERROR)' "${reports[@]}" 2>/dev/null | sed -E 's/^.*\.([A-Za-z]+) .*/\1/' | paste -sd';' || true)
  printf 'chaos=FAIL (%s; see %s)\n' "${failed:-the verdicts did not run}" "$LOGS/chaos-verdicts.log"
  exit 1
fi
echo "chaos=PASS"
