#!/usr/bin/env bash
# The local stack: one Kafka broker (KRaft, broker+controller in one JVM) and one PostgreSQL
# cluster, both private to this checkout. Every file they write (data, logs, pid files) lives
# under $NIN_LOCAL_DIR (.local/, git-ignored); nothing listens on anything but 127.0.0.1.
#
#   scripts/stack.sh up [kafka|postgres]        start (idempotent: what already runs is left alone)
#   scripts/stack.sh down [kafka|postgres]      stop, and wait until the processes are gone
#   scripts/stack.sh restart [kafka|postgres]   down, then up
#   scripts/stack.sh status                     running?, pid, address, reachable? (exit 1 if not)
#   scripts/stack.sh logs [kafka|postgres] [-f] last log lines (or follow them)
#
# Kafka runs from the jars the test-support build lists (Apache Kafka from Maven Central, no
# download of a Kafka distribution); PostgreSQL from Debian's packages (apt-get install postgresql).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/env.sh
source "$(dirname "$0")/lib/env.sh"
# shellcheck source-path=SCRIPTDIR source=lib/tools.sh
source "$(dirname "$0")/lib/tools.sh"

# ----------------------------------------------------------------------------------- settings --

KAFKA_DIR="$NIN_LOCAL_DIR/kafka"
KAFKA_DATA="$KAFKA_DIR/data"
KAFKA_PROPS="$KAFKA_DIR/server.properties"
KAFKA_LOG="$KAFKA_DIR/kafka.log"
KAFKA_PID_FILE="$KAFKA_DIR/kafka.pid"
KAFKA_CLASSPATH_FILE="$NIN_ROOT/test-support/target/classes/dev/nin/testsupport/kafka-broker.classpath"
KAFKA_HOST="${KAFKA_BOOTSTRAP_SERVERS%%,*}"   # the first bootstrap server is the one run here
KAFKA_PORT="${KAFKA_HOST##*:}"
KAFKA_HOST="${KAFKA_HOST%:*}"
KAFKA_CONTROLLER_PORT="${NIN_KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_START_TIMEOUT="${NIN_KAFKA_START_TIMEOUT:-60}"
KAFKA_STOP_TIMEOUT="${NIN_KAFKA_STOP_TIMEOUT:-60}"
# the broker settings LocalKafkaBroker starts tests with: one definition for both
KAFKA_BASE_PROPS="$NIN_ROOT/test-support/src/main/resources/dev/nin/testsupport/kafka-broker.properties"

PG_DIR="$NIN_LOCAL_DIR/postgres"
PG_DATA="$PG_DIR/data"
PG_SOCKET_DIR="$PG_DIR/run"
PG_LOG="$PG_DIR/postgres.log"
PG_SUPERUSER=postgres
PG_START_TIMEOUT="${NIN_PG_START_TIMEOUT:-60}"

LOCAL_ONLY_HOSTS=" 127.0.0.1 localhost "

usage() { # exit code; the text goes to stderr when it answers a mistake
  if [[ "${1:-0}" == 0 ]]; then
    sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'
  else
    sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//' >&2
  fi
  exit "${1:-0}"
}

# --------------------------------------------------------------------------------- generic bits --

# Whether something accepts TCP connections on host:port (a refused connect returns at once).
port_open() {
  # shellcheck disable=SC2016 # $1 and $2 are the inner shell's arguments
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}

# Who listens on a port, as far as `ss` can tell (pid and program when we may see them).
port_owner() {
  local line
  line="$(ss -ltnpH "( sport = :$1 )" 2>/dev/null | head -n 3 | tr -s ' ' | sed 's/^/    /')" || true
  printf '%s' "${line:-    (ss could not name the process)}"
}

# Alive = exists and is not a zombie (PID 1 of a container does not always reap orphans).
alive() {
  local state
  [[ -r "/proc/$1/stat" ]] || return 1
  state="$(sed -E 's/^[0-9]+ \(.*\) ([A-Za-z]).*/\1/' "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ -n "$state" && "$state" != Z && "$state" != X ]]
}

# Waits (polling) until pid $1 is gone; at most $2 seconds. Returns 1 if it is still there.
wait_gone() {
  local pid="$1" deadline=$((SECONDS + $2))
  while alive "$pid"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

show_log_tail() { # file [lines]
  [[ -f "$1" ]] || return 0
  printf -- '--- last lines of %s ---\n' "$1" >&2
  tail -n "${2:-30}" "$1" >&2
  printf -- '---\n' >&2
}

# One stack.sh at a time changes the stack (two concurrent `up`s must not both start Kafka).
take_lock() {
  mkdir -p "$NIN_LOCAL_DIR"
  exec 9>"$NIN_LOCAL_DIR/.stack.lock"
  flock -w 120 9 || nin_die "another scripts/stack.sh is still running (lock $NIN_LOCAL_DIR/.stack.lock)"
}

check_local_address() { # what host port
  [[ "$LOCAL_ONLY_HOSTS" == *" $2 "* ]] ||
    nin_die "$1 points at $2:$3; scripts/stack.sh only runs services on 127.0.0.1 (unset it, or run that service yourself)"
  [[ "$3" =~ ^[0-9]+$ ]] || nin_die "$1: '$3' is not a port number"
}

# ------------------------------------------------------------------------------------- Kafka --

check_local_address KAFKA_BOOTSTRAP_SERVERS "$KAFKA_HOST" "$KAFKA_PORT"
KAFKA_HOST=127.0.0.1

# Pid of our broker: the pid file's, or (pid file lost) a java process running our properties.
kafka_pid() {
  local pid cmd
  if [[ -f "$KAFKA_PID_FILE" ]]; then
    pid="$(<"$KAFKA_PID_FILE")"
    if [[ "$pid" =~ ^[0-9]+$ ]] && alive "$pid"; then
      cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || cmd=
      if [[ "$cmd" == *"kafka.Kafka $KAFKA_PROPS"* ]]; then
        echo "$pid"
        return 0
      fi
    fi
  fi
  for pid in $(pgrep -x java 2>/dev/null); do
    cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || continue
    if [[ "$cmd" == *"kafka.Kafka $KAFKA_PROPS"* ]] && alive "$pid"; then
      echo "$pid" >"$KAFKA_PID_FILE"
      echo "$pid"
      return 0
    fi
  done
  return 1
}

# The broker's classpath (absolute jar paths) as the test-support build writes it.
kafka_classpath() {
  local cp jar missing=''
  if [[ -s "$KAFKA_CLASSPATH_FILE" ]]; then
    cp="$(<"$KAFKA_CLASSPATH_FILE")"
    IFS=: read -r -a jars <<<"$cp"
    for jar in "${jars[@]}"; do [[ -f "$jar" ]] || { missing="$jar"; break; }; done
  fi
  if [[ ! -s "$KAFKA_CLASSPATH_FILE" || -n "$missing" ]]; then
    command -v mvn >/dev/null || nin_die "Maven (mvn) is needed once to resolve the Kafka broker jars; install it (apt-get install maven)"
    nin_log "resolving Kafka broker jars from Maven Central${missing:+ ($missing is gone)}"
    mvn -q -B -f "$NIN_ROOT/test-support/pom.xml" generate-resources >&2 ||
      nin_die "could not resolve the Kafka broker jars (mvn -f test-support/pom.xml generate-resources failed)"
    [[ -s "$KAFKA_CLASSPATH_FILE" ]] || nin_die "the build wrote no $KAFKA_CLASSPATH_FILE"
    cp="$(<"$KAFKA_CLASSPATH_FILE")"
  fi
  printf '%s' "$cp"
}

check_java() {
  command -v java >/dev/null || nin_die "no java on PATH; Kafka 4 needs Java 17 or newer (apt-get install openjdk-17-jre-headless)"
  local spec
  spec="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  [[ "${spec%%.*}" =~ ^[0-9]+$ && "${spec%%.*}" -ge 17 ]] ||
    nin_die "java on PATH is version '${spec:-unknown}'; Kafka 4 needs Java 17 or newer"
}

kafka_write_properties() {
  {
    echo "# Written by scripts/stack.sh on every start: the settings of"
    echo "# ${KAFKA_BASE_PROPS#"$NIN_ROOT"/} (LocalKafkaBroker's too), then this stack's listeners."
    cat "$KAFKA_BASE_PROPS"
    cat <<EOF

# This stack's listeners and storage
controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$KAFKA_DATA
EOF
  } >"$KAFKA_PROPS"
}

kafka_format_once() { # classpath
  if [[ -f "$KAFKA_DATA/meta.properties" ]]; then
    return 0
  fi
  local cluster_id
  cluster_id="$(java -cp "$1" kafka.tools.StorageTool random-uuid 2>>"$KAFKA_LOG" | tail -n 1)"
  [[ -n "$cluster_id" ]] || { show_log_tail "$KAFKA_LOG"; nin_die "kafka StorageTool random-uuid printed nothing"; }
  nin_log "formatting Kafka storage in $KAFKA_DATA (cluster id $cluster_id)"
  if ! java -cp "$1" kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_PROPS" --standalone \
    >>"$KAFKA_LOG" 2>&1; then
    show_log_tail "$KAFKA_LOG" 15
    nin_die "formatting the Kafka storage failed (see $KAFKA_LOG)"
  fi
}

# Unless our broker runs, its ports must be free: never a second broker, never someone else's.
kafka_check_ports() {
  kafka_pid >/dev/null && return 0
  local port
  for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if port_open 127.0.0.1 "$port"; then
      nin_die "127.0.0.1:$port is already taken by a process that is not this stack's Kafka:
$(port_owner "$port")
stop it (or point KAFKA_BOOTSTRAP_SERVERS / NIN_KAFKA_CONTROLLER_PORT elsewhere); nothing was started"
    fi
  done
}

kafka_up() {
  local pid
  if pid="$(kafka_pid)"; then
    nin_log "Kafka already running (pid $pid, $KAFKA_HOST:$KAFKA_PORT)"
    return 0
  fi
  rm -f "$KAFKA_PID_FILE"
  kafka_check_ports

  check_java
  local cp
  cp="$(kafka_classpath)"
  mkdir -p "$KAFKA_DATA"
  kafka_write_properties
  kafka_format_once "$cp"

  local log_offset
  log_offset="$(stat -c %s "$KAFKA_LOG" 2>/dev/null || echo 0)"
  printf '\n===== scripts/stack.sh: starting Kafka at %s =====\n' "$(date '+%F %T')" >>"$KAFKA_LOG"
  nin_log "starting Kafka on $KAFKA_HOST:$KAFKA_PORT (log $KAFKA_LOG)"
  local started=$SECONDS
  # setsid: the broker gets its own session, so a Ctrl-C in this terminal later does not reach it;
  # 9>&-: nor does it inherit the lock of take_lock.
  # shellcheck disable=SC2086 # NIN_KAFKA_JAVA_OPTS is a list of options
  setsid nohup java -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true \
    -Dorg.slf4j.simpleLogger.showDateTime=true \
    "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd HH:mm:ss.SSS" \
    ${NIN_KAFKA_JAVA_OPTS:-} \
    -cp "$cp" kafka.Kafka "$KAFKA_PROPS" >>"$KAFKA_LOG" 2>&1 </dev/null 9>&- &
  pid=$!
  echo "$pid" >"$KAFKA_PID_FILE"

  # Ready = the port answers and the broker says it has started (both: the port opens a little
  # before the broker is unfenced).
  local deadline=$((SECONDS + KAFKA_START_TIMEOUT))
  while :; do
    if ! alive "$pid"; then
      rm -f "$KAFKA_PID_FILE"
      show_log_tail "$KAFKA_LOG" 40
      nin_die "Kafka exited during start-up (see $KAFKA_LOG)"
    fi
    if port_open 127.0.0.1 "$KAFKA_PORT" &&
      tail -c +"$((log_offset + 1))" "$KAFKA_LOG" | grep -q 'Kafka Server started'; then
      break
    fi
    if ((SECONDS >= deadline)); then
      show_log_tail "$KAFKA_LOG" 40
      nin_log "Kafka did not answer on $KAFKA_HOST:$KAFKA_PORT within ${KAFKA_START_TIMEOUT}s; stopping it"
      kafka_down >/dev/null 2>&1 || true
      nin_die "Kafka did not start within ${KAFKA_START_TIMEOUT}s (see $KAFKA_LOG; NIN_KAFKA_START_TIMEOUT sets the limit)"
    fi
    sleep 0.3
  done
  nin_log "Kafka started (pid $pid, $KAFKA_HOST:$KAFKA_PORT, $((SECONDS - started))s)"
}

kafka_down() {
  local pid
  if ! pid="$(kafka_pid)"; then
    rm -f "$KAFKA_PID_FILE"
    nin_log "Kafka is not running"
    return 0
  fi
  nin_log "stopping Kafka (pid $pid)"
  local started=$SECONDS
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_gone "$pid" "$KAFKA_STOP_TIMEOUT"; then
    nin_log "Kafka did not stop within ${KAFKA_STOP_TIMEOUT}s of SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 10 || nin_die "Kafka (pid $pid) survived SIGKILL"
  fi
  rm -f "$KAFKA_PID_FILE"
  nin_log "Kafka stopped ($((SECONDS - started))s)"
}

kafka_status() { # prints one line; returns 0 when running and reachable
  local pid
  if pid="$(kafka_pid)"; then
    if port_open 127.0.0.1 "$KAFKA_PORT"; then
      printf '%-9s running  pid %-8s %-38s reachable\n' kafka "$pid" "PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT"
      return 0
    fi
    printf '%-9s running  pid %-8s %-38s NOT reachable (starting? see scripts/stack.sh logs kafka)\n' \
      kafka "$pid" "PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT"
    return 1
  fi
  if port_open 127.0.0.1 "$KAFKA_PORT"; then
    printf '%-9s stopped  %-12s %-38s answers, but NOT this stack'"'"'s broker:\n%s\n' \
      kafka "" "$KAFKA_HOST:$KAFKA_PORT" "$(port_owner "$KAFKA_PORT")"
  else
    printf '%-9s stopped  %-12s %-38s not reachable\n' kafka "" "$KAFKA_HOST:$KAFKA_PORT"
  fi
  return 1
}

# ---------------------------------------------------------------------------------- PostgreSQL --

check_local_address NIN_DB_HOST "$NIN_DB_HOST" "$NIN_DB_PORT"

# root cannot run PostgreSQL: the cluster then belongs to the `postgres` OS user (Debian's).
if ((EUID == 0)); then PG_OS_USER=postgres; else PG_OS_USER="$(id -un)"; fi

pg_as() { # runs a command as the cluster's OS user, from a folder it may enter
  # 9>&-: the postmaster must not inherit (and so hold forever) the lock of take_lock.
  if ((EUID == 0)); then
    (cd / && runuser -u "$PG_OS_USER" -- "$@" 9>&-)
  else
    (cd / && "$@" 9>&-)
  fi
}

# The PostgreSQL binaries: the version the cluster was made with, else the newest installed.
PG_BIN=
pg_find_bin() {
  [[ -z "$PG_BIN" ]] || return 0
  if [[ -f "$PG_DATA/PG_VERSION" ]]; then
    local version
    version="$(<"$PG_DATA/PG_VERSION")"
    [[ -x "/usr/lib/postgresql/$version/bin/postgres" ]] ||
      nin_die "the cluster in $PG_DATA was made by PostgreSQL $version, which is not installed (apt-get install postgresql-$version), or remove $PG_DATA to start afresh"
    PG_BIN="/usr/lib/postgresql/$version/bin"
    return 0
  fi
  PG_BIN="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/initdb' 2>/dev/null | sort -V | tail -n 1)"
  PG_BIN="${PG_BIN%/initdb}"
}

pg_install_if_missing() {
  pg_find_bin
  [[ -z "$PG_BIN" ]] || return 0
  need_package postgresql || nin_die "apt-get install postgresql failed"
  pg_find_bin
  [[ -n "$PG_BIN" ]] || nin_die "apt-get installed postgresql, but no /usr/lib/postgresql/*/bin/initdb appeared"
  # The package starts a system cluster on 5432 where a service manager runs; we just installed it
  # for our private cluster, so stop that one (its data stays; pg_ctlcluster starts it again).
  if command -v pg_lsclusters >/dev/null; then
    pg_lsclusters --no-header 2>/dev/null | while read -r ver name _port status _rest; do
      if [[ "$status" == online* ]]; then
        nin_log "stopping the Debian cluster $ver/$name that the package install started"
        pg_ctlcluster "$ver" "$name" stop || true
      fi
    done
  fi
}

# 0 = our cluster's postmaster runs. Reads postmaster.pid directly (root may; the owner may too).
pg_pid() {
  local pid
  [[ -f "$PG_DATA/postmaster.pid" ]] || return 1
  pid="$(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null)" || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] && alive "$pid" || return 1
  [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == postgres* ]] || return 1
  echo "$pid"
}

# Lets the cluster's OS user reach $PG_DIR: every folder above it needs o+x (search) for it.
pg_make_reachable() {
  ((EUID == 0)) || return 0
  local dir="$PG_DIR" dirs=()
  while [[ "$dir" != / && -n "$dir" ]]; do
    dirs=("$dir" "${dirs[@]}")
    dir="$(dirname "$dir")"
  done
  for dir in "${dirs[@]}"; do
    [[ "$dir" == "$PG_DIR" ]] && continue
    if ! runuser -u "$PG_OS_USER" -- test -x "$dir"; then
      nin_log "chmod o+x $dir (the $PG_OS_USER user must be able to reach $PG_DIR)"
      chmod o+x "$dir"
    fi
  done
}

pg_prepare_dirs() {
  mkdir -p "$PG_DIR"
  if ((EUID == 0)); then
    pg_make_reachable
    chown "$PG_OS_USER:" "$PG_DIR"
  fi
  chmod 755 "$PG_DIR"
  pg_as mkdir -p "$PG_SOCKET_DIR"
  pg_as chmod 700 "$PG_SOCKET_DIR"
  # A Unix socket path has to fit in 107 bytes.
  ((${#PG_SOCKET_DIR} + 16 <= 107)) ||
    nin_die "the socket folder $PG_SOCKET_DIR is too long a path for a Unix socket; set NIN_LOCAL_DIR to a shorter path"
}

pg_initdb_once() {
  [[ -f "$PG_DATA/PG_VERSION" ]] && return 0
  local locale=C
  locale -a 2>/dev/null | grep -qix 'C.utf8' && locale=C.UTF-8
  nin_log "creating the PostgreSQL cluster in $PG_DATA ($("$PG_BIN/postgres" --version))"
  if ! pg_as "$PG_BIN/initdb" -D "$PG_DATA" -U "$PG_SUPERUSER" -E UTF8 --locale="$locale" \
    --auth-local=trust --auth-host=scram-sha-256 >"$PG_DIR/initdb.log" 2>&1; then
    cat "$PG_DIR/initdb.log" >&2
    nin_die "initdb failed (output above, also in $PG_DIR/initdb.log)"
  fi
}

# Our settings, rewritten on every start; postgresql.conf includes the file.
pg_write_config() {
  pg_as tee "$PG_DATA/nin.conf" >/dev/null <<EOF
# Written by scripts/stack.sh on every start; edit the script, not this file.
listen_addresses = '127.0.0.1'
port = $NIN_DB_PORT
unix_socket_directories = '$PG_SOCKET_DIR'
password_encryption = 'scram-sha-256'
EOF
  if ! grep -q "^include_if_exists = 'nin.conf'" "$PG_DATA/postgresql.conf"; then
    printf "\n# scripts/stack.sh's settings\ninclude_if_exists = 'nin.conf'\n" |
      pg_as tee -a "$PG_DATA/postgresql.conf" >/dev/null
  fi
}

# The application's role and database; idempotent (the password follows NIN_DB_PASSWORD).
pg_ensure_app_db() {
  local out
  if ! out="$(pg_as "$PG_BIN/psql" -X -q -h "$PG_SOCKET_DIR" -p "$NIN_DB_PORT" -U "$PG_SUPERUSER" -d postgres \
    -v ON_ERROR_STOP=1 -v usr="$NIN_DB_USER" -v pw="$NIN_DB_PASSWORD" -v db="$NIN_DB_NAME" 2>&1 <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'usr')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'usr') \gexec
ALTER ROLE :"usr" WITH LOGIN PASSWORD :'pw';
SELECT format('CREATE DATABASE %I OWNER %I ENCODING ''UTF8''', :'db', :'usr')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL
  )"; then
    printf '%s\n' "$out" >&2
    nin_die "could not create role $NIN_DB_USER / database $NIN_DB_NAME"
  fi
}

# Unless our cluster runs, its port must be free (the system's own cluster may hold it).
pg_check_port() {
  pg_pid >/dev/null && return 0
  port_open 127.0.0.1 "$NIN_DB_PORT" || return 0
  local hint='' cluster=''
  if command -v pg_lsclusters >/dev/null; then
    cluster="$(pg_lsclusters -h 2>/dev/null | awk -v p="$NIN_DB_PORT" '$3 == p && $4 ~ /^online/ {print $1 " " $2; exit}')" || true
  fi
  if [[ -n "$cluster" ]]; then
    hint="
it is the system's PostgreSQL cluster ${cluster/ //} (Debian package); this script leaves it alone. Stop it with
    pg_ctlcluster $cluster stop
(and keep it from starting at boot: set 'manual' in /etc/postgresql/${cluster/ //}/start.conf)"
  fi
  nin_die "127.0.0.1:$NIN_DB_PORT is already taken by a process that is not this stack's PostgreSQL:
$(port_owner "$NIN_DB_PORT")$hint
nothing was started"
}

pg_up() {
  local pid
  pg_install_if_missing
  if pid="$(pg_pid)"; then
    nin_log "PostgreSQL already running (pid $pid, $NIN_DB_HOST:$NIN_DB_PORT)"
    pg_ensure_app_db
    return 0
  fi
  pg_check_port

  pg_prepare_dirs
  pg_initdb_once
  pg_write_config
  nin_log "starting PostgreSQL on $NIN_DB_HOST:$NIN_DB_PORT (log $PG_LOG)"
  local started=$SECONDS
  if ! pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t "$PG_START_TIMEOUT" start >/dev/null; then
    show_log_tail "$PG_LOG" 20
    nin_die "PostgreSQL did not start (see $PG_LOG)"
  fi
  pg_ensure_app_db
  pid="$(pg_pid)" || pid='?'
  nin_log "PostgreSQL started (pid $pid, $NIN_DB_HOST:$NIN_DB_PORT, database $NIN_DB_NAME, user $NIN_DB_USER, $((SECONDS - started))s)"
}

pg_down() {
  local pid
  if ! pid="$(pg_pid)"; then
    nin_log "PostgreSQL is not running"
    return 0
  fi
  pg_find_bin
  nin_log "stopping PostgreSQL (pid $pid)"
  local started=$SECONDS
  if ! pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null; then
    nin_log "pg_ctl stop -m fast did not finish; trying -m immediate"
    pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w -t 30 stop >/dev/null ||
      { show_log_tail "$PG_LOG" 20; nin_die "could not stop PostgreSQL (pid $pid)"; }
  fi
  wait_gone "$pid" 10 || nin_die "PostgreSQL (pid $pid) is still there after pg_ctl stop"
  nin_log "PostgreSQL stopped ($((SECONDS - started))s)"
}

pg_status() {
  local pid address="postgresql://$NIN_DB_USER@$NIN_DB_HOST:$NIN_DB_PORT/$NIN_DB_NAME"
  local isready=pg_isready psql=psql
  pg_find_bin 2>/dev/null || true
  if [[ -n "$PG_BIN" ]]; then isready="$PG_BIN/pg_isready"; psql="$PG_BIN/psql"; fi
  if pid="$(pg_pid)"; then
    if ! "$isready" -q -h 127.0.0.1 -p "$NIN_DB_PORT" -t 3; then
      printf '%-9s running  pid %-8s %-38s NOT reachable (pg_isready failed)\n' postgres "$pid" "$address"
      return 1
    fi
    if ! PGPASSWORD="$NIN_DB_PASSWORD" PGCONNECT_TIMEOUT=3 "$psql" -X -A -t -q -h 127.0.0.1 -p "$NIN_DB_PORT" \
      -U "$NIN_DB_USER" -d "$NIN_DB_NAME" -c 'select 1' >/dev/null 2>&1; then
      printf '%-9s running  pid %-8s %-38s reachable, but login as %s failed (scripts/stack.sh up fixes the role)\n' \
        postgres "$pid" "$address" "$NIN_DB_USER"
      return 1
    fi
    printf '%-9s running  pid %-8s %-38s reachable (login ok)\n' postgres "$pid" "$address"
    return 0
  fi
  if port_open 127.0.0.1 "$NIN_DB_PORT"; then
    printf '%-9s stopped  %-12s %-38s answers, but NOT this stack'"'"'s cluster:\n%s\n' \
      postgres "" "$NIN_DB_HOST:$NIN_DB_PORT" "$(port_owner "$NIN_DB_PORT")"
  else
    printf '%-9s stopped  %-12s %-38s not reachable\n' postgres "" "$NIN_DB_HOST:$NIN_DB_PORT"
  fi
  return 1
}

# -------------------------------------------------------------------------------------- main --

SERVICES=()
set_services() { # [kafka|postgres|all] -> SERVICES, in start order
  case "${1:-all}" in
    all) SERVICES=(postgres kafka) ;;
    kafka) SERVICES=(kafka) ;;
    postgres | postgresql | pg) SERVICES=(postgres) ;;
    *) nin_die "unknown service '$1' (kafka or postgres)" ;;
  esac
}

service_up() { if [[ $1 == kafka ]]; then kafka_up; else pg_up; fi; }
service_check_ports() { if [[ $1 == kafka ]]; then kafka_check_ports; else pg_check_port; fi; }
service_down() { if [[ $1 == kafka ]]; then kafka_down; else pg_down; fi; }

cmd="${1:-}"
shift || true
case "$cmd" in
  up)
    (($# <= 1)) || usage 1
    set_services "${1:-}"
    take_lock
    for s in "${SERVICES[@]}"; do service_check_ports "$s"; done # before starting anything
    for s in "${SERVICES[@]}"; do service_up "$s"; done
    ;;
  down)
    (($# <= 1)) || usage 1
    set_services "${1:-}"
    take_lock
    for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do service_down "${SERVICES[i]}"; done # reverse order
    ;;
  restart)
    (($# <= 1)) || usage 1
    set_services "${1:-}"
    take_lock
    for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do service_down "${SERVICES[i]}"; done
    for s in "${SERVICES[@]}"; do service_up "$s"; done
    ;;
  status)
    (($# == 0)) || usage 1
    rc=0
    kafka_status || rc=1
    pg_status || rc=1
    exit "$rc"
    ;;
  logs)
    follow=
    service=all
    for arg in "$@"; do
      case "$arg" in
        -f | --follow) follow=1 ;;
        *) service="$arg" ;;
      esac
    done
    set_services "$service"
    files=()
    for s in "${SERVICES[@]}"; do
      if [[ $s == kafka ]]; then f="$KAFKA_LOG"; else f="$PG_LOG"; fi
      if [[ -f "$f" ]]; then files+=("$f"); else nin_log "no log yet: $f"; fi
    done
    ((${#files[@]})) || exit 1
    if [[ -n "$follow" ]]; then exec tail -n 30 -F "${files[@]}"; fi
    tail -n 50 "${files[@]}"
    ;;
  -h | --help | help) usage 0 ;;
  "") usage 1 ;;
  *)
    printf 'error: unknown command %s\n\n' "$cmd" >&2
    usage 1
    ;;
esac
