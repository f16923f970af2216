#!/usr/bin/env bash
# Image smoke test without pulling anything: builds each service's image from docker/Dockerfile (target
# `prebuilt`: output published on this host) on a Debian base made here with debootstrap, runs it with podman
# the way the chart does (non-root, read-only root filesystem, /tmp volume, all capabilities dropped,
# Production) against the loopback PostgreSQL/RabbitMQ/Redis of eng/infra.sh, and checks that it migrates,
# that grpc.health.v1 answers SERVING and that a real authenticated call works.
#
#   eng/image-smoke.sh [membership|decisions|notifications ...]   default: all three
#   eng/image-smoke.sh base                                      only build (or find) the base image
#
# Needs root (podman with runc; crun fails on this kind of machine). The base image and its root filesystem
# are cached under $IMAGE_SMOKE_DIR (default /var/tmp/egov-steering-image); delete it to rebuild them.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO_ROOT
readonly WORK_DIR="${IMAGE_SMOKE_DIR:-/var/tmp/egov-steering-image}"
readonly BASE_IMAGE=localhost/egov-steering/runtime-base:bookworm
readonly DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

log() { echo "image-smoke: $*" >&2; }

die() {
  echo "image-smoke: error: $*" >&2
  exit 1
}

ensure_tools() {
  [[ $EUID == 0 ]] || die "run as root (podman here needs root and runc)"
  local missing=()
  command -v podman >/dev/null || missing+=(podman)
  command -v runc >/dev/null || missing+=(runc)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    # A fresh machine (CI) may have no package lists yet.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 || {
      apt-get update -q >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
    }
  fi
  # Our own containers.conf, not the system's: runc (crun fails here) and ulimits that the container's init may
  # set on this machine (podman's defaults, and even the full hard limit of 20000 open files, are refused).
  mkdir -p "$WORK_DIR"
  local nofile nproc
  nofile="$(ulimit -Hn)"
  [[ "$nofile" == unlimited || "$nofile" -gt 16384 ]] && nofile=16384
  nproc="$(ulimit -Hu)"
  [[ "$nproc" == unlimited || "$nproc" -gt 32768 ]] && nproc=32768
  cat >"$WORK_DIR/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]

[engine]
runtime = "runc"
CONF
  export CONTAINERS_CONF="$WORK_DIR/containers.conf"
}

# The stand-in for mcr.microsoft.com/dotnet/aspnet:10.0: Debian bookworm (minbase + ICU, CA certificates,
# OpenSSL), this host's .NET and ASP.NET Core shared runtimes in /usr/share/dotnet, and the `app` user (1654).
build_base() {
  if podman image exists "$BASE_IMAGE"; then
    log "base image $BASE_IMAGE already built"
    return
  fi
  local rootfs="$WORK_DIR/rootfs"
  if [[ ! -x "$rootfs/bin/sh" ]]; then
    log "debootstrap bookworm into $rootfs (once)"
    rm -rf "$rootfs"
    debootstrap --variant=minbase --include=libicu72,ca-certificates,libssl3 bookworm "$rootfs" "$DEBIAN_MIRROR" \
      >"$WORK_DIR/debootstrap.log" 2>&1 || {
      tail -n 20 "$WORK_DIR/debootstrap.log" >&2
      die "debootstrap failed (log: $WORK_DIR/debootstrap.log)"
    }
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  fi

  local dotnet_root runtime
  dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
  runtime="$(dotnet --list-runtimes | awk '$1 == "Microsoft.AspNetCore.App" && $2 ~ /^10\./ { v = $2 } END { print v }')"
  [[ -n "$runtime" ]] || die "no ASP.NET Core 10 runtime on this host"
  log "adding .NET runtime $runtime from $dotnet_root"
  rm -rf "$rootfs/usr/share/dotnet"
  mkdir -p "$rootfs/usr/share/dotnet/shared" "$rootfs/usr/share/dotnet/host"
  cp -a "$dotnet_root/dotnet" "$rootfs/usr/share/dotnet/"
  cp -a "$dotnet_root/host/fxr" "$rootfs/usr/share/dotnet/host/"
  local framework
  for framework in Microsoft.NETCore.App Microsoft.AspNetCore.App; do
    mkdir -p "$rootfs/usr/share/dotnet/shared/$framework"
    cp -a "$dotnet_root/shared/$framework/$runtime" "$rootfs/usr/share/dotnet/shared/$framework/"
  done
  ln -sf /usr/share/dotnet/dotnet "$rootfs/usr/bin/dotnet"
  grep -q '^app:' "$rootfs/etc/passwd" || {
    echo 'app:x:1654:1654:app:/home/app:/usr/sbin/nologin' >>"$rootfs/etc/passwd"
    echo 'app:x:1654:' >>"$rootfs/etc/group"
  }

  log "importing $BASE_IMAGE"
  tar -C "$rootfs" -c . | podman import --quiet \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/sh"]' - "$BASE_IMAGE" >/dev/null
}

readonly IMAGE_PREFIX=localhost/egov-steering
started_containers=()
infra_started_here=""

# Runs on every exit: no container (and no infrastructure started here) outlives the run.
cleanup() {
  local status=$?
  local container
  for container in "${started_containers[@]}"; do
    if ((status != 0)); then
      echo "---- last lines of $container ----" >&2
      podman logs --tail 40 "$container" >&2 || true
    fi
    podman rm -f "$container" >/dev/null 2>&1 || true
  done
  if [[ -n "$infra_started_here" && "${KEEP_INFRA:-0}" != 1 ]]; then
    "$REPO_ROOT/eng/infra.sh" down >/dev/null || true
  fi
  exit "$status"
}

start_infra() {
  local infra="$REPO_ROOT/eng/infra.sh" exports
  [[ "$("$infra" status | grep -cE '^(postgres|rabbitmq|redis) +main .*running')" == 3 ]] || infra_started_here=1
  exports="$("$infra" up)"
  eval "$exports"
}

# A fresh database per service and run, on the loopback PostgreSQL.
create_database() {
  local database="$1" psql
  psql="$(compgen -G '/usr/lib/postgresql/*/bin/psql' | sort -V | tail -n 1)"
  PGOPTIONS='-c client_min_messages=warning' "$psql" "$(connection_uri postgres)" -q -v ON_ERROR_STOP=1 \
    -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" -c "CREATE DATABASE $database" >/dev/null
}

# STEERING_TEST_POSTGRES (Npgsql keywords) as a libpq URI for psql.
connection_uri() {
  local host port user
  host="$(sed -n 's/.*Host=\([^;]*\).*/\1/p' <<<"$STEERING_TEST_POSTGRES")"
  port="$(sed -n 's/.*Port=\([^;]*\).*/\1/p' <<<"$STEERING_TEST_POSTGRES")"
  user="$(sed -n 's/.*Username=\([^;]*\).*/\1/p' <<<"$STEERING_TEST_POSTGRES")"
  echo "postgresql://$user@$host:$port/$1"
}

build_image() {
  local service="$1" project="${1^}" out="$WORK_DIR/publish/$1"
  [[ -f "$REPO_ROOT/services/$project/$project.csproj" ]] || die "services/$project/$project.csproj not found"
  log "$service: dotnet publish"
  rm -rf "$out"
  # No build servers: MSBuild nodes left by other builds on a shared machine are not reused.
  dotnet publish "$REPO_ROOT/services/$project/$project.csproj" --configuration Release --output "$out" \
    --nologo --verbosity quiet --disable-build-servers
  [[ -x "$out/Egov.Steering.$project" ]] || die "dotnet publish left no launcher in $out"
  log "$service: podman build (target prebuilt on $BASE_IMAGE)"
  local previous
  previous="$(podman image inspect --format '{{.Id}}' "$IMAGE_PREFIX/$service:smoke" 2>/dev/null || true)"
  podman build --quiet --file "$REPO_ROOT/docker/Dockerfile" --target prebuilt \
    --build-arg SERVICE="$project" --build-arg BASE_IMAGE="$BASE_IMAGE" \
    --build-arg VERSION="0.0.0-smoke" --build-arg REVISION="$(git -C "$REPO_ROOT" rev-parse HEAD)" \
    --build-arg CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    --tag "$IMAGE_PREFIX/$service:smoke" "$out" >/dev/null
  # The previous run's image, now untagged, would otherwise pile up.
  if [[ -n "$previous" && "$previous" != "$(podman image inspect --format '{{.Id}}' "$IMAGE_PREFIX/$service:smoke")" ]]; then
    podman rmi "$previous" >/dev/null 2>&1 || true
  fi
}

# What the chart gives the pods: Production, read-only root with a /tmp volume, no capabilities, non-root,
# configuration from the environment; loopback (host network) instead of the cluster network.
run_container() {
  local service="$1" grpc_port="$2" key="$3"
  shift 3
  podman run --network host --read-only --tmpfs /tmp:rw,size=64m --cap-drop ALL \
    --security-opt no-new-privileges --user 1654:1654 \
    -e Hosting__GrpcPort="$grpc_port" -e Hosting__HttpPort="$((grpc_port + 10))" \
    -e Storage__Provider=PostgreSQL -e Storage__MigrateOnStart=false \
    -e ConnectionStrings__Database="${STEERING_TEST_POSTGRES/Database=postgres/Database=egov_smoke_$service}" \
    -e Bus__Transport=RabbitMQ -e ConnectionStrings__RabbitMQ="$STEERING_TEST_RABBITMQ" \
    -e Cache__Provider=Redis -e ConnectionStrings__Redis="$STEERING_TEST_REDIS" \
    -e Auth__Issuer=egov-steering -e Auth__Audience=egov-steering -e Auth__SigningKeys__0="$key" \
    -e Messaging__EndpointPrefix="smoke-$service" -e OTEL_SERVICE_NAME="$service" \
    -e Services__Membership="http://127.0.0.1:5101" \
    "$@"
}

smoke() {
  local service="$1" grpc_port="$2" key="$3" container="egov-smoke-$1"
  create_database "egov_smoke_$service"
  # The migration logs every SQL command: kept in a file, shown only when it fails.
  log "$service: migrate (log: $WORK_DIR/migrate-$service.log)"
  run_container "$service" "$grpc_port" "$key" --rm "$IMAGE_PREFIX/$service:smoke" migrate \
    >"$WORK_DIR/migrate-$service.log" 2>&1 || {
    tail -n 40 "$WORK_DIR/migrate-$service.log" >&2
    die "$service: migrate failed"
  }
  log "$service: run on 127.0.0.1:$grpc_port"
  podman rm -f "$container" >/dev/null 2>&1 || true
  started_containers+=("$container")
  run_container "$service" "$grpc_port" "$key" --detach --name "$container" "$IMAGE_PREFIX/$service:smoke" >/dev/null
  dotnet "$WORK_DIR/checker/Egov.Steering.ImageSmoke.dll" "http://127.0.0.1:$grpc_port" "$key"
}

main() {
  ensure_tools
  build_base
  [[ "${1:-}" == base ]] && return

  local services=("$@")
  ((${#services[@]})) || services=(membership decisions notifications)
  trap cleanup EXIT
  start_infra
  dotnet build "$REPO_ROOT/eng/ImageSmoke/ImageSmoke.csproj" --configuration Release --output "$WORK_DIR/checker" \
    --nologo --verbosity quiet >/dev/null

  # A production-like HMAC key (the public development key is refused in Production).
  local key service grpc_port
  key="$(head -c 32 /dev/urandom | base64)"
  for service in "${services[@]}"; do
    case "$service" in
      membership) grpc_port=5101 ;;
      decisions) grpc_port=5102 ;;
      notifications) grpc_port=5103 ;;
      *) die "unknown service '$service' (membership | decisions | notifications)" ;;
    esac
    local started=$SECONDS
    build_image "$service"
    smoke "$service" "$grpc_port" "$key"
    log "$service: OK in $((SECONDS - started)) s"
  done
  echo "image smoke: ${services[*]} OK in $SECONDS s"
}

main "$@"
