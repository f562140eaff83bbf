#!/usr/bin/env bash
# Runs every test project and ends with one line "N passed, N failed, N skipped" summed over all of them.
# Installs and starts what the tests need on loopback (see scripts/services.sh); exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
results="$root/.test-results"
rm -rf "$results"
mkdir -p "$results"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

summary() { # passed failed skipped
  echo "$1 passed, $2 failed, $3 skipped"
}

# Start what the tests need (each script installs its packages if missing and exports its settings).
source scripts/services/common.sh
for service in scripts/services/*.sh; do
  [ "$service" = scripts/services/common.sh ] && continue
  if ! source "$service"; then
    echo "could not start $(basename "$service" .sh)"
    summary 0 1 0
    exit 1
  fi
done

if ! dotnet build FactCheck.sln -c Release -nologo -clp:ErrorsOnly >"$results/build.log" 2>&1; then
  cat "$results/build.log"
  echo "build failed"
  summary 0 1 0
  exit 1
fi

# House rules (.editorconfig): formatting and naming. A violation counts as one failure; the tests still run.
format_failed=0
if ! dotnet format FactCheck.sln --verify-no-changes -v q >"$results/format.log" 2>&1; then
  cat "$results/format.log"
  echo "dotnet format found changes to make: run 'dotnet format FactCheck.sln'"
  format_failed=1
fi

# Hang watchdog: a test that runs for more than 5 minutes (far beyond every test's own timeout) gets its test host
# killed, and the log names it ("The active test running was ..."). The fault drills write their figures to
# reliability.tsv in the results folder (tests/FactCheck.IntegrationTests/Faults/ReliabilityReport.cs).
export FACTCHECK_TEST_RESULTS="$results"
dotnet test FactCheck.sln -c Release --no-build --nologo \
  --blame-hang-timeout 5min --blame-hang-dump-type none \
  --logger "trx;LogFilePrefix=results" --logger "console;verbosity=normal" \
  --results-directory "$results" 2>&1 | grep -vE '^\s*(Passed|Skipped) ' | tee "$results/test.log"
test_status=${PIPESTATUS[0]}

if [ -s "$results/reliability.tsv" ]; then
  echo
  echo "Reliability (fault drills of this run; README's Reliability table):"
  { printf 'fault\tcalls\tfailed\tstale reads\twrites lost\tnote\n'; cat "$results/reliability.tsv"; } | column -t -s $'\t'
  echo
fi

# CI keeps only the end of this output, so each failed test is named again here, with its message's first non-empty line.
failed_tests=$(awk '
  function flush() { if (name != "") print "  " name (message == "" ? "" : ": " message); name = message = ""; inMessage = 0 }
  function unescape(s) { gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\047", s); gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&amp;/, "\\&", s); return s }
  /<UnitTestResult / { flush(); if ($0 ~ /outcome="(Failed|Timeout|Aborted|Error)"/ && match($0, /testName="[^"]*"/)) name = unescape(substr($0, RSTART + 10, RLENGTH - 11)) }
  name != "" && /<Message>/ { inMessage = 1; sub(/.*<Message>/, "") }
  inMessage { done = sub(/<\/Message>.*/, ""); if (message == "" && $0 ~ /[^ \t\r]/) message = substr(unescape($0), 1, 300); if (done || message != "") inMessage = 0 }
  END { flush() }
' "$results"/*.trx 2>/dev/null)
if [ -n "$failed_tests" ]; then
  echo "Failed tests:"
  echo "$failed_tests"
fi

passed=0 failed=0 skipped=0 files=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done

projects=$(dotnet sln FactCheck.sln list | grep -c 'tests/.*Tests\.csproj$')
if [ "$files" -lt "$projects" ]; then
  echo "only $files of $projects test projects reported results (a test host crashed?)"
  failed=$((failed + projects - files))
fi
if [ "$test_status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test exited with $test_status"
  failed=1
fi
failed=$((failed + format_failed))
summary "$passed" "$failed" "$skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
