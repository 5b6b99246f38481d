#!/usr/bin/env bash
# The seed chapter's exercises, and recipes confirmed across seeds, as sweeps through the running
# services (ingest, trainer, Kafka, PostgreSQL), reported from the database (sweep_summary,
# run_metric, training_run).
#   scripts/experiments.sh chapter [--resize 96] [--epochs 3] [--train-limit 12000]
#                                  [--test-limit 2000] [--seed 1] [--out docs/experiments.md]
#                                  [--timeout-min 120]
#     exercise 1: learning rate x batch size x schedule, a 12-trial grid, ASHA at epoch 1 (eta 3)
#     exercise 2: one vs two 1x1 convolutions per block, every epoch of both (no early stopping)
#     written into docs/experiments.md between its "experiments.sh chapter" markers.
#     scripts/test.sh runs it on a tiny budget (67 px, 500 images) to prove the preset works.
#   scripts/experiments.sh recipe [--recipe '{}'] [--seeds 1,2,3] [--resize 96] [--epochs 10]
#                                 [--train-limit 0] [--test-limit 0] [--timeout-min 600]
#     one recipe (any run fields as JSON, over the product's defaults) on each seed, as a sweep
#     over "seed" trained one trial at a time; prints each seed's test top-1 after every epoch as
#     markdown rows and key=value lines (recipe_min_final_top1, recipe_mean_final_top1).
# Prints sweep ids as key=value lines; a sweep that does not end in time fails.
set -euo pipefail
source "$(dirname "$0")/lib/env.sh"
source "$NIN_ROOT/scripts/lib/services.sh"
cd "$NIN_ROOT"

what=${1:-}
shift || true
usage="usage: scripts/experiments.sh chapter [--resize R] [--epochs N] [--train-limit N] [--test-limit N] [--seed S] [--out FILE] [--timeout-min M]
       scripts/experiments.sh recipe [--recipe JSON] [--seeds 1,2,3] [--resize R] [--epochs N] [--train-limit N] [--test-limit N] [--timeout-min M]"
case "$what" in
  chapter) resize=96 epochs=3 train_limit=12000 test_limit=2000 seed=1 out=docs/experiments.md timeout_min=120 ;;
  recipe) recipe='{}' seeds=1,2,3 resize=96 epochs=10 train_limit=0 test_limit=0 timeout_min=600 ;;
  *) nin_die "$usage" ;;
esac
nin_options "$@"

# ingest and the trainer with an API token (stopped at the end unless they were already up)
services_up_until_exit ingest-service trainer-service

api=http://127.0.0.1:8081
sql() { PGPASSWORD="$NIN_DB_PASSWORD" psql -h "$NIN_DB_HOST" -p "$NIN_DB_PORT" -U "$NIN_DB_USER" -d "$NIN_DB_NAME" -At -F '|' -c "$1"; }

post_sweep() { # post_sweep JSON: prints the sweep's id
  curl -fsS -X POST "$api/api/sweeps" -H "Authorization: Bearer $NIN_API_TOKEN" \
    -H 'Content-Type: application/json' -d "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
}
await_sweep() { # await_sweep ID: until every trial ended (a cancelled or late sweep fails)
  local status
  while :; do
    (( $(date +%s) - started_at < timeout_min * 60 )) || nin_die "sweep $1 did not end within $timeout_min min"
    status=$(curl -fsS "$api/api/sweeps/$1" | python3 -c '
import json, sys
s = json.load(sys.stdin)
print(s["status"], " ".join(f"{n}:{k}" for k, n in s["trialStatuses"].items()))')
    case "$status" in
      SUCCEEDED*) return 0 ;;
      CANCELLED*) nin_die "sweep $1 was cancelled" ;;
    esac
    nin_log "sweep $1: $status"
    sleep 20
  done
}

started_at=$(date +%s)

if [[ "$what" == recipe ]]; then
  # The recipe's own fields win over the budget's, so a recipe may set its epochs or resize too.
  base=$(python3 - "$recipe" "$resize" "$epochs" "$(limit_json "$train_limit")" "$(limit_json "$test_limit")" <<'PY'
import json, sys
recipe = json.loads(sys.argv[1])
if not isinstance(recipe, dict):
    sys.exit("--recipe must be a JSON object of run fields")
base = {"resize": int(sys.argv[2]), "epochs": int(sys.argv[3]), "trainLimit": json.loads(sys.argv[4]),
        "testLimit": json.loads(sys.argv[5]), "logEvery": 50}
base.update(recipe)
print(json.dumps(base, separators=(",", ":")))
PY
  )
  sweep=$(post_sweep "{\"name\":\"recipe on seeds $seeds\",\"base\":$base,\"space\":{\"seed\":[$seeds]},\"parallelism\":1}")
  nin_log "sweep $sweep queued: $base on seeds $seeds"
  await_sweep "$sweep"
  minutes=$(( ($(date +%s) - started_at + 59) / 60 ))
  echo "Command: \`scripts/experiments.sh recipe --recipe '$recipe' --seeds $seeds --resize $resize --epochs $epochs --train-limit $train_limit --test-limit $test_limit\`, sweep \`$sweep\`, $minutes min."
  echo
  echo "| seed | test top-1 after each epoch | final | training images/s |"
  echo "| --- | --- | --- | --- |"
  sql "select s.tried->>'seed', string_agg(to_char(m.top1, 'FM0.0000'), ' ' order by m.epoch),
              to_char(s.final_test_top1, 'FM0.0000'),
              (select round((sum(t.images) / sum(t.seconds))::numeric, 1) from run_metric t
                where t.run_id = s.run_id and t.scope = 'epoch' and t.split = 'train')
       from sweep_summary s join run_metric m on m.run_id = s.run_id and m.scope = 'epoch' and m.split = 'test'
       where s.sweep_id = '$sweep' group by s.tried->>'seed', s.final_test_top1, s.run_id order by 1" \
    | sed -E 's/\|/ | /g; s/^/| /; s/$/ |/'
  printf 'recipe_sweep=%s\n' "$sweep"
  printf 'recipe_base=%s\n' "$base"
  printf 'recipe_min_final_top1=%s\n' "$(sql "select to_char(min(final_test_top1), 'FM0.0000') from sweep_summary where sweep_id = '$sweep'")"
  printf 'recipe_mean_final_top1=%s\n' "$(sql "select to_char(avg(final_test_top1), 'FM0.0000') from sweep_summary where sweep_id = '$sweep'")"
  printf 'minutes=%s\n' "$minutes"
  exit 0
fi

base=$(printf '{"resize":%s,"epochs":%s,"trainLimit":%s,"testLimit":%s,"seed":%s,"logEvery":50}' \
  "$resize" "$epochs" "$train_limit" "$test_limit" "$seed")
exercise1=$(post_sweep "{\"name\":\"chapter exercise 1\",\"base\":$base,
  \"space\":{\"learningRate\":[0.0005,0.001,0.002],\"batchSize\":[64,128],\"schedule\":[\"constant\",\"cosine\"]},
  \"parallelism\":1,\"earlyStopping\":{\"rule\":\"asha\",\"rungs\":[1],\"eta\":3}}")
exercise2=$(post_sweep "{\"name\":\"chapter exercise 2\",\"base\":$base,
  \"space\":{\"oneByOneConvs\":[1,2]},\"parallelism\":1}")
nin_log "sweeps $exercise1 (exercise 1) and $exercise2 (exercise 2) queued; one trainer trains their trials in turn"
await_sweep "$exercise1"
await_sweep "$exercise2"
minutes=$(( ($(date +%s) - started_at + 59) / 60 ))

# --- the report, from the database ---------------------------------------------------------
table() { # table HEADER SQL: a markdown table of the query's rows
  printf '%s\n' "$1"
  printf '%s\n' "$1" | sed -E 's/[^|]+/---/g'
  sql "$2" | sed -E 's/^/| /; s/$/ |/; s/\|/ | /g; s/  +/ /g; s/^ //; s/ $//'
}
curves() { # curves SWEEP: each trial's test top-1 epoch by epoch
  sql "select 'trial ' || r.sweep_trial || ': ' || string_agg(to_char(m.top1, 'FM0.0000'), ' → ' order by m.epoch)
       from run_metric m join training_run r on r.id = m.run_id
       where r.sweep_id = '$1' and m.scope = 'epoch' and m.split = 'test'
       group by r.sweep_trial order by r.sweep_trial" | sed 's/^/    /'
}
report=$(mktemp)
{
  echo "<!-- experiments.sh chapter: begin (generated; edits here are overwritten) -->"
  echo
  echo "Generated $(date -u +%Y-%m-%d) by \`scripts/experiments.sh chapter --resize $resize --epochs $epochs --train-limit $train_limit --test-limit $test_limit --seed $seed\`"
  echo "in $minutes min on this machine ($(nproc) cores; $(sql "select device from training_run where sweep_id = '$exercise2' limit 1"))."
  echo "Every trial: $resize px, $epochs epochs of the first $train_limit training images, evaluated on $test_limit test images, seed $seed."
  echo
  echo "### Exercise 1: learning rate × batch size × schedule (sweep \`$exercise1\`)"
  echo
  echo "A 12-point grid, one trial at a time, asynchronous successive halving at the end of epoch 1 (η 3):"
  echo "a trial continues only in the top third of the trials that reached epoch 1 before it."
  echo
  table "| rank | trial | status | learning rate | batch | schedule | epochs | best test top-1 | final test top-1 | seconds | why it stopped |" \
    "select rank, trial, status, tried->>'learningRate', tried->>'batchSize', tried->>'schedule', epochs_done,
            to_char(best_test_top1, 'FM0.0000'), to_char(final_test_top1, 'FM0.0000'), round(duration_s::numeric),
            coalesce(stop_reason, '') from sweep_summary where sweep_id = '$exercise1' order by rank, trial"
  echo
  echo "Test top-1 after each epoch:"
  echo
  curves "$exercise1"
  echo
  echo "Epochs trained: $(sql "select sum(epochs_done) from sweep_summary where sweep_id = '$exercise1'") of the $((12 * epochs)) the full grid would take."
  echo
  echo "### Exercise 2: one vs two 1×1 convolutions per NiN block (sweep \`$exercise2\`)"
  echo
  table "| 1×1 convs a block | parameters | FLOPs an image | best test top-1 | final test top-1 | seconds an epoch | training images/s |" \
    "select r.one_by_one_convs, r.params, r.flops_per_image,
            to_char(s.best_test_top1, 'FM0.0000'), to_char(s.final_test_top1, 'FM0.0000'),
            round(avg(m.seconds)::numeric, 1), round((sum(m.images) / sum(m.seconds))::numeric, 1)
     from sweep_summary s join training_run r on r.id = s.run_id
     join run_metric m on m.run_id = r.id and m.scope = 'epoch' and m.split = 'train'
     where s.sweep_id = '$exercise2'
     group by r.one_by_one_convs, r.params, r.flops_per_image, s.best_test_top1, s.final_test_top1
     order by r.one_by_one_convs"
  echo
  echo "Test top-1 after each epoch:"
  echo
  curves "$exercise2"
  echo
  echo "The same tables in SQL: \`select * from sweep_summary where sweep_id = '…' order by rank\`."
  echo
  echo "<!-- experiments.sh chapter: end -->"
} > "$report"

# replace the generated block of $out (or append one)
python3 - "$out" "$report" <<'PY'
import pathlib, re, sys
out, report = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]).read_text()
text = out.read_text() if out.exists() else "# Experiments\n\n"
pattern = re.compile(r"<!-- experiments.sh chapter: begin.*?<!-- experiments.sh chapter: end -->\n?", re.S)
text = pattern.sub(lambda m: report, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + report
out.write_text(text)
PY
rm -f "$report"
printf 'exercise1_sweep=%s\n' "$exercise1"
printf 'exercise2_sweep=%s\n' "$exercise2"
printf 'exercise1_best=%s\n' "$(sql "select 'trial ' || trial || ' ' || tried::text || ' ' || to_char(best_test_top1, 'FM0.0000') from sweep_summary where sweep_id = '$exercise1' order by rank, trial limit 1")"
printf 'exercise1_stopped_early=%s\n' "$(sql "select count(*) from sweep_summary where sweep_id = '$exercise1' and status = 'STOPPED_EARLY'")"
printf 'exercise2=%s\n' "$(sql "select string_agg(one_by_one_convs || ':' || to_char(best_test_top1, 'FM0.0000'), ' ' order by one_by_one_convs) from sweep_summary where sweep_id = '$exercise2'")"
printf 'minutes=%s\n' "$minutes"
nin_log "wrote $out"
