#!/usr/bin/env bash
# The one test command: starts real PostgreSQL, RabbitMQ and Redis (eng/infra.sh), runs every test project of
# Microservices.sln against them and ends with one line: `tests: N passed, N failed, N skipped`.
#
#   eng/test.sh [dotnet test arguments]      e.g. eng/test.sh --filter "FullyQualifiedName~Outbox"
#
# CONFIGURATION=Debug|Release (default Release, what CI builds). The instances are stopped at the end
# unless KEEP_INFRA=1, or unless they were already running before (shared by others on this machine).
# Exits non-zero when a test failed, the run broke, or no test ran at all.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO_ROOT
readonly INFRA="$REPO_ROOT/eng/infra.sh"
readonly CONFIGURATION="${CONFIGURATION:-Release}"

results_dir=""
infra_started_here=""
summary=""

main_instances_running() {
  [[ "$("$INFRA" status | grep -cE '^(postgres|rabbitmq|redis) +main .*running')" == 3 ]]
}

start_infra() {
  main_instances_running || infra_started_here=1
  local exports
  exports="$("$INFRA" up)" # a failed `up` stops here: inside eval its status would be lost
  eval "$exports"
  export STEERING_TEST_POSTGRES STEERING_TEST_RABBITMQ STEERING_TEST_REDIS
}

# Runs on every exit (success, failure, Ctrl-C) so that no server outlives the run it was started for.
finish() {
  local status=$?
  if [[ -n "$infra_started_here" && "${KEEP_INFRA:-0}" != 1 ]]; then
    "$INFRA" down || status=1
  fi
  [[ -n "$results_dir" ]] && rm -rf "$results_dir"
  [[ -n "$summary" ]] && echo "$summary"
  exit "$status"
}

# Quiet build, but the console logger still shows each failed test with its message and stack trace.
# A test that hangs is reported (with a dump of where) and fails the run instead of blocking CI.
run_tests() {
  dotnet test "$REPO_ROOT/Microservices.sln" --configuration "$CONFIGURATION" --nologo --verbosity quiet \
    --results-directory "$results_dir" --logger trx --logger "console;verbosity=minimal" \
    --blame-hang-timeout "${TEST_HANG_TIMEOUT:-8m}" --blame-hang-dump-type none "$@"
}

# Sums the <Counters> of every TRX file (one per test assembly) into "passed failed skipped".
count_results() {
  local trx_files=("$results_dir"/*.trx)
  [[ -e "${trx_files[0]}" ]] || {
    echo "0 0 0"
    return
  }
  grep -ho '<Counters [^>]*>' "${trx_files[@]}" | awk '
    function attribute(name,   pattern) {
      pattern = " " name "=\"[0-9]+\""
      if (match($0, pattern)) return substr($0, RSTART + length(name) + 3, RLENGTH - length(name) - 4) + 0
      return 0
    }
    {
      passed += attribute("passed")
      failed += attribute("failed") + attribute("error") + attribute("timeout") + attribute("aborted")
      skipped += attribute("total") - attribute("executed") # a skipped test is counted but not executed
    }
    END { print passed + 0, failed + 0, skipped + 0 }'
}

main() {
  trap finish EXIT
  results_dir="$(mktemp -d "${TMPDIR:-/tmp}/egov-steering-tests.XXXXXX")"
  start_infra

  local status=0 passed failed skipped
  run_tests "$@" || status=$?
  read -r passed failed skipped < <(count_results)
  summary="tests: $passed passed, $failed failed, $skipped skipped"

  if ((passed + failed == 0)); then
    echo "eng/test.sh: error: no test ran (build failure, or a filter that matches nothing)" >&2
    return 1
  fi
  ((failed == 0 && status == 0))
}

main "$@"
