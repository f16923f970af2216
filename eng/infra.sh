#!/usr/bin/env bash
# Throwaway PostgreSQL, RabbitMQ and Redis instances on 127.0.0.1 for tests and local runs.
#
#   eng/infra.sh up                          install what is missing, start the "main" instances, print env
#   eng/infra.sh start <kind> <name> <port>  start (or restart, keeping its data) a private instance
#   eng/infra.sh cluster <name> <port>...    start RabbitMQ nodes <name>-1, <name>-2, ... (one per port) at once
#                                            and join them into one cluster; stop them one by one with `stop`
#   eng/infra.sh rabbitmqctl <name> <args>   run rabbitmqctl against RabbitMQ instance <name> (e.g. list_queues)
#   eng/infra.sh stop <kind> <name>          stop one instance; returns when its process is gone
#   eng/infra.sh down                        stop every instance under the state dir
#   eng/infra.sh status                      list instances and whether they run
#   eng/infra.sh env                         print the exports the tests read
#
# kind: postgres | rabbitmq | redis. Each instance lives in $STEERING_INFRA_DIR/<kind>-<name>/
# (default /tmp/egov-steering-infra); data survives stop/start, exactly like a real server restart.
# Tests name their instances test-<pid>-<name> (tests/TestSupport): instances of a test process that is gone
# are stopped and removed by the next start or cluster.
# The main ports (55432, 5672, 6379) can be moved with STEERING_INFRA_{POSTGRES,RABBITMQ,REDIS}_PORT.
set -euo pipefail

readonly STATE_DIR="${STEERING_INFRA_DIR:-/tmp/egov-steering-infra}"
readonly POSTGRES_PORT="${STEERING_INFRA_POSTGRES_PORT:-55432}"
readonly RABBITMQ_PORT="${STEERING_INFRA_RABBITMQ_PORT:-5672}"
readonly REDIS_PORT="${STEERING_INFRA_REDIS_PORT:-6379}"
readonly READY_TIMEOUT_SECONDS="${STEERING_INFRA_TIMEOUT:-90}"
readonly RABBITMQ_BIN=/usr/lib/rabbitmq/bin

log() { echo "infra: $*" >&2; }

die() {
  echo "infra: error: $*" >&2
  exit 1
}

# Prints the last lines of the instance's logs so that a failed start explains itself.
fail_with_log() {
  local message="$1" logfile
  shift
  {
    echo "infra: error: $message"
    for logfile in "$@"; do
      [[ -s "$logfile" ]] || continue
      echo "---- last lines of $logfile ----"
      tail -n 40 "$logfile"
    done
  } >&2
  exit 1
}

# Serialises start/stop of one instance (two `up` at once, a test restarting its broker). A directory
# rather than flock: a lock fd would be inherited, and held forever, by the daemons we start.
lock_instance() {
  local lock="$STATE_DIR/$1-$2.lock" deadline=$((SECONDS + READY_TIMEOUT_SECONDS))
  mkdir -p "$STATE_DIR"
  until mkdir "$lock" 2>/dev/null; do
    if ! pid_alive "$(cat "$lock/pid" 2>/dev/null)"; then
      sleep 0.5 # the holder may be between mkdir and writing its pid
      pid_alive "$(cat "$lock/pid" 2>/dev/null)" || rm -rf "$lock"
      continue
    fi
    ((SECONDS < deadline)) || die "$1 $2 is locked by pid $(cat "$lock/pid") for ${READY_TIMEOUT_SECONDS}s"
    sleep 0.2
  done
  echo $$ >"$lock/pid"
  # shellcheck disable=SC2064 # expand now: the lock path is fixed for this process
  trap "rm -rf '$lock'" EXIT
}

check_kind() {
  case "$1" in postgres | rabbitmq | redis) ;; *) die "unknown kind '$1' (postgres | rabbitmq | redis)" ;; esac
}

instance_dir() { echo "$STATE_DIR/$1-$2"; }

postgres_bin() {
  local initdb
  initdb="$(compgen -G '/usr/lib/postgresql/*/bin/initdb' | sort -V | tail -n 1 || true)"
  [[ -n "$initdb" ]] || die "PostgreSQL binaries not found under /usr/lib/postgresql (run: eng/infra.sh up)"
  dirname "$initdb"
}

first_line() {
  if [[ -f "$1" ]]; then head -n 1 "$1"; fi
}

pid_alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The PID recorded for an instance (empty when it never started or its pid file is gone).
instance_pid() {
  local kind="$1" dir
  dir="$(instance_dir "$1" "$2")"
  case "$kind" in
    postgres) first_line "$dir/data/postmaster.pid" ;;
    rabbitmq) first_line "$dir/rabbitmq.pid" ;;
    redis) first_line "$dir/redis.pid" ;;
  esac
}

instance_running() { pid_alive "$(instance_pid "$1" "$2")"; }

# The port an instance was last started on, so that `start` of a running instance can check it.
instance_port() {
  first_line "$(instance_dir "$1" "$2")/port"
}

# ---------------------------------------------------------------------------------------------------- install

install_missing_packages() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  [[ -x "$RABBITMQ_BIN/rabbitmq-server" ]] || missing+=(rabbitmq-server)
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
  # Debian's browser for the dashboard's browser tests (tests/Web.Tests): Playwright drives it, downloads none. A
  # font with Vietnamese letters for their screenshots (a minimal system may have none).
  [[ -x /usr/bin/chromium ]] || missing+=(chromium fonts-dejavu-core)
  ((${#missing[@]} == 0)) && return 0

  command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get to install them"
  [[ $EUID -eq 0 ]] || die "missing ${missing[*]}: run eng/infra.sh up as root to install them"
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  # policy-rc.d keeps the packages' own services from starting (the packaged RabbitMQ would take port 5672):
  # we run private instances instead.
  local policy=/usr/sbin/policy-rc.d created_policy="" status=0
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && created_policy=1
  fi
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || status=$?
  if [[ -n "$created_policy" ]]; then rm -f "$policy"; fi
  ((status == 0)) || die "apt-get install ${missing[*]} failed ($status)"
}

# ---------------------------------------------------------------------------------------------------- postgres

postgres_start() {
  local name="$1" port="$2" dir bin
  dir="$(instance_dir postgres "$name")"
  bin="$(postgres_bin)"
  mkdir -p "$dir"
  # The server refuses to run as root; the postgres user owns the instance's data, socket and log.
  chown postgres: "$dir"
  if [[ ! -f "$dir/data/PG_VERSION" ]]; then
    runuser -u postgres -- "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 \
      --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || fail_with_log "initdb failed" "$dir/initdb.log"
  fi
  # Leftover pid file from a killed server: pg_ctl would refuse to start while it names a live PID.
  rm -f "$dir/data/postmaster.pid"
  # Statement counts and planning time for the benchmarks (bench/DecisionPath prints them per decision), where the
  # module is installed.
  local modules=""
  [[ -f "$bin/../lib/pg_stat_statements.so" ]] \
    && modules="-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_planning=on"
  runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t "$READY_TIMEOUT_SECONDS" \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c fsync=off -c max_connections=500 $modules" start \
    >/dev/null || fail_with_log "PostgreSQL $name did not start on port $port" "$dir/postgres.log"
  wait_until "PostgreSQL $name" "$dir/postgres.log" "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres
}

# ---------------------------------------------------------------------------------------------------- rabbitmq

# Erlang node names are machine-wide (epmd): the port, unique on the machine too, keeps two state dirs
# that both have a "main" instance apart.
rabbitmq_node() { echo "$1-$2@localhost"; }

# The environment one RabbitMQ node (and rabbitmqctl talking to it) runs with: own node name, cookie,
# ports and directories, so several nodes coexist on one machine and none touches /var/lib/rabbitmq.
rabbitmq_env() {
  local name="$1" port="$2" dir="$3"
  echo HOME="$dir/home" \
    RABBITMQ_NODENAME="$(rabbitmq_node "$name" "$port")" \
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
    RABBITMQ_NODE_PORT="$port" \
    RABBITMQ_DIST_PORT="$((port + 20000))" \
    ERL_EPMD_ADDRESS=127.0.0.1 \
    RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" \
    RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
    RABBITMQ_MNESIA_BASE="$dir/mnesia" \
    RABBITMQ_LOG_BASE="$dir/log" \
    RABBITMQ_PID_FILE="$dir/rabbitmq.pid"
}

# Replaces the calling (sub)shell with rabbitmqctl aimed at one node, bounded: a node that stops answering fails the
# step instead of hanging it (and whoever waits for the script). A command's own --timeout, if any, ends it first.
exec_rabbitmqctl() {
  local name="$1" port="$2" dir
  dir="$(instance_dir rabbitmq "$name")"
  shift 2
  # shellcheck disable=SC2046 # word splitting of the VAR=value list is intended
  exec timeout --kill-after=10 "$((READY_TIMEOUT_SECONDS + 10))" env $(rabbitmq_env "$name" "$port" "$dir") \
    "$RABBITMQ_BIN/rabbitmqctl" -q -n "$(rabbitmq_node "$name" "$port")" "$@"
}

rabbitmq_start() {
  local name="$1" port="$2" dir
  dir="$(instance_dir rabbitmq "$name")"
  ((port + 20000 <= 65535)) || die "RabbitMQ port $port too high: its distribution port is port + 20000"
  mkdir -p "$dir/home" "$dir/mnesia" "$dir/log"
  if [[ ! -f "$dir/home/.erlang.cookie" ]]; then
    head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$dir/home/.erlang.cookie"
    chmod 400 "$dir/home/.erlang.cookie"
  fi
  : >"$dir/rabbitmq-env.conf"
  echo '[].' >"$dir/enabled_plugins"
  printf 'loopback_users.guest = true\nlog.file.level = info\n' >"$dir/rabbitmq.conf"
  rm -f "$dir/rabbitmq.pid"

  local server waiter
  # shellcheck disable=SC2046 # word splitting of the VAR=value list is intended
  (cd "$dir" && exec env $(rabbitmq_env "$name" "$port" "$dir") ERL_CRASH_DUMP="$dir/erl_crash.dump" \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
    setsid "$RABBITMQ_BIN/rabbitmq-server" </dev/null >"$dir/server.log" 2>&1) &
  server=$!

  # `wait <pidfile>` returns once the node has written its pid file and booted the rabbit app; watching
  # the server beside it turns a crash at boot into an immediate failure instead of a timeout.
  # exec: the waiter's PID is rabbitmqctl's `timeout`, which passes a kill on to it, so killing it leaves nothing behind.
  (exec_rabbitmqctl "$name" "$port" wait --timeout "$READY_TIMEOUT_SECONDS" "$dir/rabbitmq.pid" >/dev/null 2>&1) &
  waiter=$!
  while pid_alive "$waiter" && pid_alive "$server"; do sleep 0.2; done
  if ! pid_alive "$server" || ! wait "$waiter"; then
    kill "$waiter" 2>/dev/null || true
    fail_with_log "RabbitMQ $name did not start on port $port" "$dir/server.log" "$dir/log/$(rabbitmq_node "$name" "$port").log"
  fi
  wait_until "RabbitMQ $name" "$dir/server.log" port_in_use "$port"
}

# Test and benchmark hosts declare queues under names of their own (tests/TestSupport, bench/) and leave them behind
# when they stop or crash; thousands piled up on a long-lived main broker and took ~9% of a core at idle (a queue's
# process ticks whether used or not), skewing every benchmark's RabbitMQ CPU. The broker deletes such a queue once it
# has had no consumer and no declaration for an hour; the services' own queues (membership-..., and so on) never.
expire_unused_test_queues() {
  (exec_rabbitmqctl "$1" "$2" set_policy --apply-to queues unused-test-queues \
    '^(test-|it-|bench-|inbox-test\.|outbox-test\.)' '{"expires":3600000}' >/dev/null) ||
    die "could not set the test queues' expiry policy on RabbitMQ $1"
}

# Starts one node per port in parallel, all with one Erlang cookie (the cluster's shared secret), then joins every
# node to the first. A node already in the cluster is left as it is.
rabbitmq_cluster() {
  local name="$1" cookie index port pids=() status=0
  shift
  [[ "$name" =~ ^[A-Za-z0-9_-]+$ ]] || die "cluster name must be letters, digits, - or _: '$name'"
  (($# >= 2)) || die "a cluster needs at least two ports"
  cookie="$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
  index=0
  for port in "$@"; do
    index=$((index + 1))
    local home
    home="$(instance_dir rabbitmq "$name-$index")/home"
    if [[ ! -f "$home/.erlang.cookie" ]]; then
      mkdir -p "$home"
      echo "$cookie" >"$home/.erlang.cookie"
      chmod 400 "$home/.erlang.cookie"
    fi
    start_instance rabbitmq "$name-$index" "$port" &
    pids+=($!)
  done
  for index in "${pids[@]}"; do wait "$index" || status=$?; done
  ((status == 0)) || die "RabbitMQ cluster $name: a node did not start"

  local seed
  seed="$(rabbitmq_node "$name-1" "$1")"
  index=1
  for port in "${@:2}"; do
    index=$((index + 1))
    if (exec_rabbitmqctl "$name-$index" "$port" cluster_status) 2>/dev/null | grep -q "$seed"; then
      continue
    fi
    (exec_rabbitmqctl "$name-$index" "$port" stop_app) >/dev/null 2>&1
    (exec_rabbitmqctl "$name-$index" "$port" reset) >/dev/null 2>&1
    (exec_rabbitmqctl "$name-$index" "$port" join_cluster "$seed") >/dev/null ||
      die "RabbitMQ node $name-$index did not join $seed"
    (exec_rabbitmqctl "$name-$index" "$port" start_app) >/dev/null 2>&1 || die "RabbitMQ node $name-$index did not start after joining"
  done
  log "rabbitmq cluster $name ready: $* (nodes $name-1..$name-$#)"
}

# ---------------------------------------------------------------------------------------------------- redis

redis_start() {
  local name="$1" port="$2" dir
  dir="$(instance_dir redis "$name")"
  mkdir -p "$dir"
  rm -f "$dir/redis.pid"
  # Append-only file: what was written before a stop is still there after the restart.
  redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --daemonize yes --pidfile "$dir/redis.pid" \
    --appendonly yes --logfile "$dir/redis.log" >/dev/null ||
    fail_with_log "Redis $name did not start on port $port" "$dir/redis.log"
  wait_until "Redis $name" "$dir/redis.log" redis_ready "$port"
}

redis_ready() { [[ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" == PONG ]]; }

# ---------------------------------------------------------------------------------------------------- lifecycle

# Polls a readiness probe until it succeeds, failing with the instance's log after the timeout.
wait_until() {
  local what="$1" logfile="$2" deadline=$((SECONDS + READY_TIMEOUT_SECONDS))
  shift 2
  until "$@"; do
    ((SECONDS < deadline)) || fail_with_log "$what not ready after ${READY_TIMEOUT_SECONDS}s" "$logfile"
    sleep 0.2
  done
}

# Subshell bodies: the instance lock is released (EXIT trap) as soon as one start or stop is done.
start_instance() (
  local kind="$1" name="$2" port="$3" dir
  check_kind "$kind"
  [[ "$name" =~ ^[A-Za-z0-9_-]+$ ]] || die "instance name must be letters, digits, - or _: '$name'"
  [[ "$port" =~ ^[0-9]+$ ]] || die "port must be a number: '$port'"
  dir="$(instance_dir "$kind" "$name")"
  lock_instance "$kind" "$name"

  if instance_running "$kind" "$name"; then
    local running_port
    running_port="$(instance_port "$kind" "$name")"
    [[ "$running_port" == "$port" ]] || die "$kind $name already runs on port $running_port, not $port"
    log "$kind $name already running on port $port"
    return 0
  fi
  port_in_use "$port" && die "port $port is already taken by another process (starting $kind $name)"

  mkdir -p "$dir"
  echo "$port" >"$dir/port"
  local started=$SECONDS
  case "$kind" in
    postgres) postgres_start "$name" "$port" ;;
    rabbitmq) rabbitmq_start "$name" "$port" ;;
    redis) redis_start "$name" "$port" ;;
  esac
  log "$kind $name ready on 127.0.0.1:$port ($((SECONDS - started))s)"
)

stop_instance() (
  local kind="$1" name="$2" pid
  check_kind "$kind"
  lock_instance "$kind" "$name"
  pid="$(instance_pid "$kind" "$name")"
  if ! pid_alive "$pid"; then
    log "$kind $name is not running"
    return 0
  fi
  # Each server's clean shutdown signal: PostgreSQL fast shutdown (SIGINT) does not wait for clients;
  # RabbitMQ and Redis flush their data on SIGTERM.
  local signal=TERM
  [[ "$kind" == postgres ]] && signal=INT
  kill "-$signal" "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + READY_TIMEOUT_SECONDS))
  while pid_alive "$pid"; do
    if ((SECONDS >= deadline)); then
      log "$kind $name (pid $pid) ignored SIG$signal for ${READY_TIMEOUT_SECONDS}s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    sleep 0.1
  done
  # A pid file left behind could later name an unrelated process that reused the PID.
  rm -f "$(instance_dir "$kind" "$name")"/{rabbitmq,redis}.pid
  log "$kind $name stopped"
)

# Stops and removes the instances of test processes that are gone (crashed, killed, or a fixture that never disposed).
reap_orphaned_test_instances() {
  local kind name owner
  while read -r kind name; do
    [[ "$name" =~ ^test-([0-9]+)- ]] || continue
    owner="${BASH_REMATCH[1]}"
    pid_alive "$owner" && continue
    stop_instance "$kind" "$name"
    rm -rf "$(instance_dir "$kind" "$name")"
  done < <(all_instances)
}

# Every instance directory under the state dir, as "<kind> <name>" lines.
all_instances() {
  local dir base
  for dir in "$STATE_DIR"/*-*/; do
    [[ -d "$dir" ]] || continue
    base="$(basename "$dir")"
    echo "${base%%-*} ${base#*-}"
  done
}

print_env() {
  cat <<EOF
export STEERING_TEST_POSTGRES='Host=127.0.0.1;Port=$POSTGRES_PORT;Username=postgres;Database=postgres'
export STEERING_TEST_RABBITMQ='amqp://guest:guest@127.0.0.1:$RABBITMQ_PORT/'
export STEERING_TEST_REDIS='127.0.0.1:$REDIS_PORT'
EOF
}

# ---------------------------------------------------------------------------------------------------- verbs

prepare_state_dir() {
  mkdir -p "$STATE_DIR"
  # The postgres user must reach its instance directory inside the state dir.
  chmod 755 "$STATE_DIR"
}

cmd_up() {
  install_missing_packages
  prepare_state_dir
  start_instance postgres main "$POSTGRES_PORT"
  start_instance rabbitmq main "$RABBITMQ_PORT"
  expire_unused_test_queues main "$RABBITMQ_PORT"
  start_instance redis main "$REDIS_PORT"
  print_env
}

cmd_down() {
  local kind name
  while read -r kind name; do
    stop_instance "$kind" "$name"
  done < <(all_instances)
}

cmd_status() {
  local kind name state
  while read -r kind name; do
    state=stopped
    instance_running "$kind" "$name" && state="running (pid $(instance_pid "$kind" "$name"))"
    printf '%-9s %-20s port %-6s %s\n' "$kind" "$name" "$(instance_port "$kind" "$name")" "$state"
  done < <(all_instances)
}

usage() {
  # The header comment of this file is its usage.
  sed -n '2,/^set /p' "$0" | grep '^#' | sed 's/^# \{0,1\}//' >&2
  exit 2
}

main() {
  local verb="${1:-}"
  shift || true
  case "$verb" in
    up) (($# == 0)) || usage; cmd_up ;;
    start) (($# == 3)) || usage; prepare_state_dir; reap_orphaned_test_instances; start_instance "$@" ;;
    cluster) (($# >= 3)) || usage; prepare_state_dir; reap_orphaned_test_instances; rabbitmq_cluster "$@" ;;
    rabbitmqctl) (($# >= 2)) || usage; exec_rabbitmqctl "$1" "$(instance_port rabbitmq "$1")" "${@:2}" ;;
    stop) (($# == 2)) || usage; stop_instance "$@" ;;
    down) (($# == 0)) || usage; cmd_down ;;
    status) (($# == 0)) || usage; cmd_status ;;
    env) (($# == 0)) || usage; print_env ;;
    *) usage ;;
  esac
}

main "$@"
