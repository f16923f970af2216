#!/usr/bin/env bash
# The distributed mode on one machine: Membership, Decisions and Notifications as three processes on the real
# PostgreSQL, RabbitMQ and Redis that eng/infra.sh starts. Ctrl+C stops the three services; the servers and their
# data stay (eng/infra.sh down stops them).
#
#   eng/run-distributed.sh
#
# Steps: eng/infra.sh up; one database per service; a Debug build; each service's `migrate` verb; the three
# services in the background (Development environment, so the development token key is accepted); wait until each
# /readyz answers; print the addresses, the STEERINGCTL_*_ADDRESS lines that point steeringctl at them, and how to
# mint a token. Logs: $STEERING_RUN_DIR/<service>.log.
#
# Environment (defaults in brackets):
#   STEERING_INFRA_DIR, STEERING_INFRA_{POSTGRES,RABBITMQ,REDIS}_PORT   passed to eng/infra.sh (see its header)
#   STEERING_{MEMBERSHIP,DECISIONS,NOTIFICATIONS}_PORT   gRPC ports [5101, 5102, 5103]; health is the gRPC port + 10
#   STEERING_RUN_DIR   where the logs go [.data/distributed]
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
run_dir=${STEERING_RUN_DIR:-.data/distributed}
mkdir -p "$run_dir"
services=(Membership Decisions Notifications)
declare -A grpc_port=(
  [Membership]=${STEERING_MEMBERSHIP_PORT:-5101}
  [Decisions]=${STEERING_DECISIONS_PORT:-5102}
  [Notifications]=${STEERING_NOTIFICATIONS_PORT:-5103}
)

eng/infra.sh up >"$run_dir/infra.log"
eval "$(eng/infra.sh env)"

pg_port=${STEERING_INFRA_POSTGRES_PORT:-55432}
for service in "${services[@]}"; do
  database=${service,,}
  exists=$(psql -h 127.0.0.1 -p "$pg_port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'")
  [[ $exists == 1 ]] || psql -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE $database"
done

echo "building the three services (Debug)..."
for service in "${services[@]}"; do
  dotnet build "services/$service" -v quiet -nologo >"$run_dir/build-${service,,}.log" \
    || { echo "build of $service failed: see $run_dir/build-${service,,}.log" >&2; exit 1; }
done

export ASPNETCORE_ENVIRONMENT=Development Storage__Provider=PostgreSQL Bus__Transport=RabbitMQ Cache__Provider=Redis
export ConnectionStrings__RabbitMQ="$STEERING_TEST_RABBITMQ" ConnectionStrings__Redis="$STEERING_TEST_REDIS"
export Services__Membership="http://127.0.0.1:${grpc_port[Membership]}"
# The dashboard page (served by Notifications) reads Membership's and Decisions' JSON APIs on their HTTP ports, which
# allow its origin: services/Notifications/Dashboard/README.md.
export Dashboard__MembershipApi="http://127.0.0.1:$((grpc_port[Membership] + 10))"
export Dashboard__DecisionsApi="http://127.0.0.1:$((grpc_port[Decisions] + 10))"
export Web__Cors__AllowedOrigins__0="http://127.0.0.1:$((grpc_port[Notifications] + 10))"

# Becomes the service's built program, run from its output folder (where its appsettings.json is) with its own
# database: call it in a subshell, `( run_service X migrate )` or `run_service X &` (then $! is the program's pid).
run_service() {
  local service=$1; shift
  cd "$repo/services/$service/bin/Debug/net10.0"
  ConnectionStrings__Database="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=${service,,}" \
    Hosting__GrpcPort=${grpc_port[$service]} Hosting__HttpPort=$((grpc_port[$service] + 10)) \
    exec dotnet "Egov.Steering.$service.dll" "$@"
}

for service in "${services[@]}"; do
  ( run_service "$service" migrate ) >"$run_dir/migrate-${service,,}.log" 2>&1 \
    || { echo "$service migrate failed: see $run_dir/migrate-${service,,}.log" >&2; exit 1; }
done

pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "stopping the services..."
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  echo "stopped; the servers keep running (eng/infra.sh down stops them)."
}
trap stop INT TERM EXIT

for service in "${services[@]}"; do
  run_service "$service" >"$run_dir/${service,,}.log" 2>&1 &
  pids+=($!)
done

for i in "${!services[@]}"; do
  service=${services[$i]}
  until curl -fsS "http://127.0.0.1:$((grpc_port[$service] + 10))/readyz" >/dev/null 2>&1; do
    kill -0 "${pids[$i]}" 2>/dev/null || { echo "$service exited: see $run_dir/${service,,}.log" >&2; exit 1; }
    sleep 0.5
  done
done

membership=${grpc_port[Membership]} decisions=${grpc_port[Decisions]} notifications=${grpc_port[Notifications]}
cat <<EOF

egov-steering distributed mode is ready (PostgreSQL, RabbitMQ, Redis from eng/infra.sh; logs in $run_dir/).
  Membership     gRPC http://127.0.0.1:$membership   health http://127.0.0.1:$((membership + 10))/readyz
  Decisions      gRPC http://127.0.0.1:$decisions   health http://127.0.0.1:$((decisions + 10))/readyz
  Notifications  gRPC http://127.0.0.1:$notifications   health http://127.0.0.1:$((notifications + 10))/readyz
  Point steeringctl at them and mint a development token (organisation national, admin); paste in your shell:
    export STEERINGCTL_MEMBERSHIP_ADDRESS=http://127.0.0.1:$membership
    export STEERINGCTL_DECISIONS_ADDRESS=http://127.0.0.1:$decisions
    export STEERINGCTL_NOTIFICATIONS_ADDRESS=http://127.0.0.1:$notifications
    export STEERINGCTL_TOKEN=\$(dotnet run --project services/Cli -- token mint --org national --scope admin)
  Then every command finds its service, for example:
    dotnet run --project services/Cli -- overview
  The national dashboard (paste a token, e.g. from `token mint --org national --scope read`):
    http://127.0.0.1:$((notifications + 10))/dashboard/
  The register starts empty here (reference organisations and compliance rules only; no sample data).

Ctrl+C stops the three services.
EOF
wait
