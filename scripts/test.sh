#!/usr/bin/env bash
# The project's test command: does its own set-up, then runs every unit test and *IT.
# Kafka and PostgreSQL: the tests start real ones themselves (or use KAFKA_BOOTSTRAP_SERVERS +
# DB_URL when both are set, or Testcontainers when a Docker engine answers).
# Then the two ways README tells users to run the product: scripts/demo.sh (bare processes; its
# served model must reach test top-1 0.83) and scripts/compose-test.sh (the Docker path, on a real
# engine that it starts itself when none answers), and scripts/experiments.sh chapter and recipe on tiny budgets.
# Extra arguments go to Maven and skip the demo and compose checks, e.g. scripts/test.sh -pl nin-core -am
set -euo pipefail
source "$(dirname "$0")/lib/env.sh"
cd "$NIN_ROOT"

command -v java >/dev/null || nin_die "java not found: install a JDK 17 (apt-get install -y openjdk-17-jdk-headless)"
command -v mvn >/dev/null || nin_die "mvn not found: install Maven (apt-get install -y maven)"

scripts/dataset.sh --verify
# deploy's DeploymentManifestsTest renders k8s/ with kubectl kustomize and validates with Node.js
source "$NIN_ROOT/scripts/lib/tools.sh"
need_tool kubectl kubectl kubernetes-client
need_tool node nodejs
need_tool npm npm
# trainer-service's DashboardBrowserIT drives Debian's headless Chromium
need_tool chromium chromium
need_tool chromedriver chromium-driver
# deploy's MonitoringFilesTest checks and unit-tests the alert rules with Prometheus' promtool
need_tool promtool prometheus

start=$(date +%s)
mvn -B -ntp verify "$@"
nin_log "test suite finished in $(( $(date +%s) - start )) s"
(($# == 0)) || exit 0

demo_start=$(date +%s)
trap 'scripts/demo.sh stop >/dev/null 2>&1 || true' EXIT
scripts/demo.sh
top1=$(curl -fsS http://127.0.0.1:8082/api/model | python3 -c 'import json,sys; print(json.load(sys.stdin)["active"]["testTop1"])')
scripts/demo.sh stop
trap - EXIT
nin_log "demo finished in $(( $(date +%s) - demo_start )) s, served model at test top-1 $top1"
python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= 0.83 else 1)' "$top1" \
  || nin_die "scripts/demo.sh ended with a served model at test top-1 $top1, below 0.83"

# The chapter's experiments preset on a tiny budget: two sweeps through ingest, the trainer, Kafka
# and PostgreSQL, and a report read back from sweep_summary (the real budget: docs/experiments.md)
experiments_start=$(date +%s)
report="$NIN_LOCAL_DIR/experiments-smoke.md"
rm -f "$report"
scripts/experiments.sh chapter --resize 67 --epochs 2 --train-limit 500 --test-limit 500 \
  --timeout-min 25 --out "$report"
rows=$(grep -cE '^\| [0-9]+ \| [0-9]+ \| (SUCCEEDED|STOPPED_EARLY) \|' "$report" || true)
((rows == 12)) || nin_die "experiments.sh chapter reported $rows ended trials of exercise 1, not 12 (see $report)"
grep -qE '^\| 1 \| [0-9]+ \| [0-9]+ \| 0\.[0-9]{4} \|' "$report" \
  || nin_die "experiments.sh chapter reported no one-1x1-conv row for exercise 2 (see $report)"
# A recipe on several seeds (how docs/experiments.md confirms a recipe), as tiny: a sweep over seed
recipe_out="$NIN_LOCAL_DIR/experiments-recipe-smoke.txt"
scripts/experiments.sh recipe --recipe '{"schedule":"cosine","augment":true,"cropPadding":2}' --seeds 1,2 \
  --resize 67 --epochs 2 --train-limit 500 --test-limit 500 --timeout-min 15 > "$recipe_out"
seed_rows=$(grep -cE '^\| [12] \| 0\.[0-9]{4} 0\.[0-9]{4} \| 0\.[0-9]{4} \|' "$recipe_out" || true)
((seed_rows == 2)) || nin_die "experiments.sh recipe reported $seed_rows seeds with two evaluated epochs, not 2 (see $recipe_out)"
grep -qE '^recipe_min_final_top1=0\.[0-9]{4}$' "$recipe_out" \
  || nin_die "experiments.sh recipe printed no recipe_min_final_top1 (see $recipe_out)"
scripts/stack.sh down # the Docker path below needs the stack's ports
nin_log "experiments preset finished in $(( $(date +%s) - experiments_start )) s"

scripts/compose-test.sh
nin_log "all checks finished in $(( $(date +%s) - start )) s"
