# Sourced: a Docker engine and the Compose and CLI that this project's container path needs.
# shellcheck shell=bash
#
# docker_engine_up: uses the engine that DOCKER_HOST (or the default socket) names when it answers;
# otherwise, as root, installs Debian's docker.io + docker-compose and starts a private dockerd
# (data root under /var/lib/nin-docker, socket $NIN_DOCKER_SOCKET, overlay2) that
# docker_engine_down stops again. Testcontainers looks only at the default socket, so the private
# engine never changes how the Maven suite finds Kafka and PostgreSQL.
# docker_cli_setup: BuildKit (RUN --mount) needs a docker CLI that can build with it: one with the
# buildx plugin, or Debian's 20.10 CLI, whose built-in BuildKit client needs no plugin. A newer CLI
# without buildx (such as /usr/local/bin/docker on these machines) cannot; then Debian's goes first
# on PATH for this script and for docker-compose, which builds through the CLI.

NIN_DOCKER_DIR="${NIN_DOCKER_DIR:-/var/lib/nin-docker}" # outside the checkout: the image cache outlives a clone
NIN_DOCKER_SOCKET="${NIN_DOCKER_SOCKET:-/run/nin-docker/docker.sock}"
NIN_DOCKER_STARTED_HERE=""

docker_engine_answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

docker_install() {
  [[ $(id -u) == 0 ]] || nin_die "no Docker engine answers and this is not root: start one, or run as root to let this script install Debian's docker.io"
  source "$NIN_ROOT/scripts/lib/tools.sh"
  need_tool dockerd docker.io
  need_tool docker-compose docker-compose
  [[ -x /usr/bin/docker ]] || need_tool /usr/bin/docker docker.io
}

docker_cli_setup() {
  local shim="$NIN_DOCKER_DIR/bin"
  if docker buildx version >/dev/null 2>&1; then return 0; fi
  if [[ "$(command -v docker)" != /usr/bin/docker && -x /usr/bin/docker ]]; then
    mkdir -p "$shim"
    ln -sf /usr/bin/docker "$shim/docker"
    PATH="$shim:$PATH"
    export PATH
  fi
  local version
  version=$(docker version --format '{{.Client.Version}}' 2>/dev/null || true)
  case "$version" in
    20.*|19.*|18.*) ;;
    *) docker buildx version >/dev/null 2>&1 || nin_die "the docker CLI ($version) cannot build with BuildKit: install its buildx plugin, or Debian's docker.io (CLI 20.10)" ;;
  esac
}

docker_engine_up() {
  export DOCKER_BUILDKIT=1 COMPOSE_DOCKER_CLI_BUILD=1
  if ! command -v docker-compose >/dev/null && ! docker compose version >/dev/null 2>&1; then docker_install; fi
  command -v dockerd >/dev/null || [[ -n "${DOCKER_HOST:-}" ]] || docker_install
  docker_cli_setup
  if docker_engine_answers; then
    nin_log "Docker engine: $(docker version --format '{{.Server.Version}}') at ${DOCKER_HOST:-the default socket}"
    return 0
  fi
  [[ $(id -u) == 0 ]] || nin_die "no Docker engine answers at ${DOCKER_HOST:-the default socket}"
  command -v dockerd >/dev/null || docker_install
  local run_dir
  run_dir=$(dirname "$NIN_DOCKER_SOCKET")
  mkdir -p "$NIN_DOCKER_DIR/data" "$run_dir"
  export DOCKER_HOST="unix://$NIN_DOCKER_SOCKET"
  if ! docker_engine_answers; then
    nin_log "starting a private dockerd (data root $NIN_DOCKER_DIR/data, socket $NIN_DOCKER_SOCKET, overlay2)"
    setsid dockerd --data-root "$NIN_DOCKER_DIR/data" --exec-root "$run_dir/exec" \
      --pidfile "$run_dir/dockerd.pid" -H "$DOCKER_HOST" --storage-driver=overlay2 \
      >"$NIN_DOCKER_DIR/dockerd.log" 2>&1 </dev/null &
    NIN_DOCKER_STARTED_HERE=1
    local deadline=$((SECONDS + 60))
    until docker_engine_answers; do
      ((SECONDS < deadline)) || nin_die "dockerd did not answer within 60 s (see $NIN_DOCKER_DIR/dockerd.log)"
      sleep 1
    done
  fi
  nin_log "Docker engine: $(docker version --format '{{.Server.Version}}') at $DOCKER_HOST"
}

docker_engine_down() { # stops the engine only if docker_engine_up started it
  [[ -n "$NIN_DOCKER_STARTED_HERE" ]] || return 0
  local pid_file
  pid_file="$(dirname "$NIN_DOCKER_SOCKET")/dockerd.pid"
  [[ -f "$pid_file" ]] || return 0
  local pid
  pid=$(cat "$pid_file")
  kill "$pid" 2>/dev/null || return 0
  local deadline=$((SECONDS + 60))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 1; done
  nin_log "private dockerd stopped"
}

# The compose command the README gives: `docker compose` (v2 plugin) where the CLI has it, else
# Debian's `docker-compose` 1.29, which reads the same file.
compose() {
  if command docker compose version >/dev/null 2>&1; then command docker compose "$@"; else docker-compose "$@"; fi
}
