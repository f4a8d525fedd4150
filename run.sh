#!/usr/bin/env bash
# The two entry points of MnistMl on a Debian 12 machine with the .NET SDK:
#   ./run.sh main   set up, build, and run the main job end to end
#   ./run.sh test   set up, build, and run the whole test suite
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

scripts/setup.sh

case "${1:-}" in
  main)
    shift
    exec dotnet run --project src/MnistMl.Cli -c Release -- train pipelines/quickstart.json --output models/quickstart.zip "$@"
    ;;
  test)
    shift
    log="$(mktemp)"
    status=0
    dotnet test MnistMl.sln -c Release "$@" 2>&1 | tee "$log" || status=$?
    # One closing line for the whole suite, summed over the test projects.
    awk '/^(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
         END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
    rm -f "$log"
    exit "$status"
    ;;
  *)
    echo "usage: ./run.sh main [train options] | ./run.sh test [dotnet test options]" >&2
    exit 2
    ;;
esac
