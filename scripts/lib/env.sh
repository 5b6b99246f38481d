# Sourced by every script of the project: the one place that says where things live.
# shellcheck shell=bash

NIN_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export NIN_ROOT

# Local run data (Kafka and PostgreSQL data, logs, pid files): one git-ignored folder.
export NIN_LOCAL_DIR="${NIN_LOCAL_DIR:-$NIN_ROOT/.local}"

# TensorFlow natives, extracted from Maven Central's tensorflow-core-native by the nin-core build
# (the parent pom's nin.natives.dir names the same folder). NIN_TF_NATIVES=linux-x86_64-gpu picks
# the CUDA build made by `mvn -Pgpu`.
export NIN_TF_NATIVES="${NIN_TF_NATIVES:-linux-x86_64}"
export TENSORFLOW_LIBRARY_PATH="${TENSORFLOW_LIBRARY_PATH:-$NIN_ROOT/.cache/natives/$NIN_TF_NATIVES}"

# DJL must never try to download anything: the natives above are all it needs.
export NIN_JAVA_OPTS="-Dai.djl.offline=true ${NIN_JAVA_OPTS:-}"

# The local stack (scripts/stack.sh) and the services' defaults agree on these.
export KAFKA_BOOTSTRAP_SERVERS="${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}"
export NIN_DB_HOST="${NIN_DB_HOST:-127.0.0.1}"
export NIN_DB_PORT="${NIN_DB_PORT:-5432}"
export NIN_DB_NAME="${NIN_DB_NAME:-nin}"
export NIN_DB_USER="${NIN_DB_USER:-nin}"
# A local-only development password; real deployments pass their own through the environment.
export NIN_DB_PASSWORD="${NIN_DB_PASSWORD:-nin}"

nin_log() { printf '%s %s\n' "[$(date +%H:%M:%S)]" "$*" >&2; }
nin_die() { printf 'error: %s\n' "$*" >&2; exit 1; }
nin_options() { # nin_options ARGS...: each --some-name VALUE sets some_name, which the script
  # must have set first (its default); any other argument is refused
  while (($#)); do
    local name=${1#--}
    name=${name//-/_}
    [[ "$1" == --* && "$name" =~ ^[a-z_]+$ && -n "${!name+set}" && $# -ge 2 ]] || nin_die "unknown option $1"
    printf -v "$name" '%s' "$2"
    shift 2
  done
}
# limit_json N: a run field's image limit as JSON (the scripts' 0, "no limit", is null)
limit_json() { [[ "$1" == 0 ]] && echo null || echo "$1"; }
