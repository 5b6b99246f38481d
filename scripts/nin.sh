#!/usr/bin/env bash
# nin-core from the command line, no services needed:
#   scripts/nin.sh summary [--resize R] [--one-by-one N] [--json]
#   scripts/nin.sh train [--data DIR] [--resize 96] [--epochs 1] ...   (the seed's loop, in memory)
#   scripts/nin.sh seeds --seeds 1..20 [--resize 67] [--epochs 1] ...   (one run per seed, then
#                                                                         seeds_min_top1 … lines)
#   scripts/nin.sh bench [--sizes 96,224] [--rounds 5] [--quick]        (key=value lines)
#   scripts/nin.sh profile [--resize 224] [--precision bf16]            (a training step's time by
#                                                                         kernel, layer and pass)
set -euo pipefail
source "$(dirname "$0")/lib/env.sh"
cd "$NIN_ROOT"

classes=nin-core/target/classes
classpath_file=nin-core/target/runtime.classpath
if [[ ! -f "$classpath_file" || ! -d "$classes/dev" || ! -f "$TENSORFLOW_LIBRARY_PATH/libjnitensorflow.so" \
      || -n "$(find nin-core/src contracts/src dataset/src -newer "$classpath_file" -name '*.java' -print -quit)" ]]; then
  nin_log "building nin-core (first run, or sources changed)"
  mvn -q -B -ntp -pl nin-core -am install -DskipTests -Dspotless.check.skip=true >&2
  touch "$classpath_file" # Maven leaves an unchanged classpath file as old as it was: mark it built
fi
if [[ "${1:-}" == train || "${1:-}" == seeds || "${1:-}" == bench ]]; then
  "$NIN_ROOT/scripts/dataset.sh" >&2
fi
# shellcheck disable=SC2086 # NIN_JAVA_OPTS holds several options
exec java -Xmx8g $NIN_JAVA_OPTS -cp "$classes:$(cat "$classpath_file")" dev.nin.core.cli.NinCli "$@"
