# Sourced: runs a main class of the tools module: the REST/gRPC client (inference-client, on its
# classpath), the serving benchmarks and the chaos drivers.
# shellcheck shell=bash

client_build() { # builds tools (and what it stands on) when stale (client_java calls it)
  local classes="$NIN_ROOT/tools/target/classes"
  local classpath_file="$NIN_ROOT/tools/target/runtime.classpath"
  if [[ ! -f "$classpath_file" || ! -d "$classes/dev" || ! -f "$TENSORFLOW_LIBRARY_PATH/libjnitensorflow.so" \
        || -n "$(find "$NIN_ROOT/tools/src" "$NIN_ROOT/inference-client/src" "$NIN_ROOT/nin-core/src" "$NIN_ROOT/contracts/src" \
                 "$NIN_ROOT/dataset/src" "$NIN_ROOT/service-kit/src" \
                 -newer "$classpath_file" -name '*.java' -print -quit)" ]]; then
    nin_log "building tools (first run, or sources changed)"
    (cd "$NIN_ROOT" && mvn -q -B -ntp -pl tools -am install -DskipTests -Dspotless.check.skip=true) >&2
    touch "$classpath_file" # Maven leaves an unchanged classpath file as old as it was: mark it built
  fi
}

client_java() { # client_java MAIN_CLASS ARGS...: builds tools first when stale
  local classes="$NIN_ROOT/tools/target/classes"
  local classpath_file="$NIN_ROOT/tools/target/runtime.classpath"
  client_build
  local main=$1
  shift
  # shellcheck disable=SC2086 # NIN_JAVA_OPTS holds several options
  java -Xmx4g $NIN_JAVA_OPTS -cp "$classes:$(cat "$classpath_file")" "$main" "$@"
}
