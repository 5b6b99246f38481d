# Sourced: runs a main class of a plain-Java module from its target/classes and runtime classpath:
# inference-client (scripts/predict.sh; no TensorFlow) or tools (the serving benchmarks and the
# chaos drivers; client_java).
# shellcheck shell=bash

module_build() { # module_build MODULE: builds MODULE and what it stands on when stale
  local module=$1
  local classes="$NIN_ROOT/$module/target/classes"
  local classpath_file="$NIN_ROOT/$module/target/runtime.classpath"
  local sources=("$NIN_ROOT/$module/src" "$NIN_ROOT/contracts/src" "$NIN_ROOT/dataset/src")
  local needs_natives=false
  if [[ $module == tools ]]; then
    sources+=("$NIN_ROOT/inference-client/src" "$NIN_ROOT/nin-core/src" "$NIN_ROOT/service-kit/src")
    needs_natives=true
  fi
  if [[ ! -f "$classpath_file" || ! -d "$classes/dev" ]] \
      || { $needs_natives && [[ ! -f "$TENSORFLOW_LIBRARY_PATH/libjnitensorflow.so" ]]; } \
      || [[ -n "$(find "${sources[@]}" -newer "$classpath_file" -name '*.java' -print -quit)" ]]; then
    nin_log "building $module (first run, or sources changed)"
    (cd "$NIN_ROOT" && mvn -q -B -ntp -pl "$module" -am install -DskipTests -Dspotless.check.skip=true) >&2
    [[ -s "$classpath_file" ]] || nin_die "building $module wrote no $classpath_file"
    touch "$classpath_file" # Maven leaves an unchanged classpath file as old as it was: mark it built
  fi
}

module_java() { # module_java MODULE MAIN_CLASS ARGS...: builds MODULE first when stale
  local module=$1 main=$2
  shift 2
  module_build "$module"
  # shellcheck disable=SC2086 # NIN_JAVA_OPTS holds several options
  java -Xmx4g $NIN_JAVA_OPTS -cp "$NIN_ROOT/$module/target/classes:$(cat "$NIN_ROOT/$module/target/runtime.classpath")" \
    "$main" "$@"
}

client_build() { module_build tools; } # once, before tools run in the background
client_java() { module_java tools "$@"; } # client_java MAIN_CLASS ARGS...: a tools main
