#!/usr/bin/env bash
# One-command benchmark: builds the server (Release), starts it on free loopback ports with a generated admin key
# (and a throwaway redis-server when one is installed), loads a synthetic data set, runs every scenario back to back
# and writes bench/RESULTS.md. Everything it starts is stopped on exit.
#
#   bash bench/run.sh                       # 20,000 claims / 2,000 speakers, 10 s per scenario
#   CLAIMS=2000 SPEAKERS=200 DURATION=3s WARMUP=1s bash bench/run.sh
#
# Knobs (environment): CLAIMS SPEAKERS SEED DURATION WARMUP CALLERS CONNECTIONS GEN_CONCURRENCY SCENARIOS
#                      REDIS=auto|0|1  LABEL (a line put at the top of RESULTS.md)  OUT (default bench/RESULTS.md)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CLAIMS="${CLAIMS:-20000}"
SPEAKERS="${SPEAKERS:-2000}"
SEED="${SEED:-42}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-3s}"
CALLERS="${CALLERS:-64}"
CONNECTIONS="${CONNECTIONS:-4}"
GEN_CONCURRENCY="${GEN_CONCURRENCY:-16}"
SCENARIOS="${SCENARIOS:-empty health get-claim list-by-speaker-first list-by-speaker-deep verify search}"
REDIS="${REDIS:-auto}"
LABEL="${LABEL:-}"
OUT="${OUT:-$ROOT/bench/RESULTS.md}"

WORK="$(mktemp -d /tmp/factcheck-bench.XXXXXX)"
SERVER_PID=""; REDIS_PID=""
cleanup() {
  local rc=$?
  [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  [[ -n "$REDIS_PID" ]] && kill "$REDIS_PID" 2>/dev/null && wait "$REDIS_PID" 2>/dev/null || true
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
log() { echo "[bench] $*" >&2; }

log "building server and bench driver (Release)"
dotnet build "$ROOT/src/FactCheck.Server" -c Release -v q -nologo >/dev/null
dotnet build "$ROOT/bench/FactCheck.Bench" -c Release -v q -nologo >/dev/null
SERVER_DLL="$ROOT/src/FactCheck.Server/bin/Release/net10.0/FactCheck.Server.dll"
BENCH_DLL="$ROOT/bench/FactCheck.Bench/bin/Release/net10.0/FactCheck.Bench.dll"

# An admin key for this run only: fck_ + 43 base64url characters (32 random bytes).
export FACTCHECK_API_KEY="fck_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"

CACHE_ARGS=(); CACHE_DESC="none (no Redis)"
if [[ "$REDIS" != "0" ]] && command -v redis-server >/dev/null; then
  REDIS_PORT="$(free_port)"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --dir "$WORK" --protected-mode yes \
    >"$WORK/redis.log" 2>&1 &
  REDIS_PID=$!
  for _ in $(seq 50); do redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  CACHE_ARGS=("--ConnectionStrings:Redis=127.0.0.1:$REDIS_PORT")
  CACHE_DESC="Redis $(redis-server --version | grep -o 'v=[0-9.]*' | cut -d= -f2) on loopback (response cache on)"
elif [[ "$REDIS" == "1" ]]; then
  log "REDIS=1 but redis-server is not installed"; exit 1
fi

GRPC_PORT="$(free_port)"; HTTP_PORT="$(free_port)"
SERVER="http://127.0.0.1:$GRPC_PORT"
log "starting server on $SERVER (data in $WORK)"
(cd "$WORK" && exec dotnet "$SERVER_DLL" \
  --Kestrel:Endpoints:Grpc:Url="$SERVER" --Kestrel:Endpoints:Http:Url="http://127.0.0.1:$HTTP_PORT" \
  --Storage:Provider=sqlite --Storage:Sqlite:Path="$WORK/bench.db" \
  --Auth:Keys:0:Principal=bench --Auth:Keys:0:Roles=admin --Auth:Keys:0:Secret="$FACTCHECK_API_KEY" \
  --Benchmark:Enabled=true --Logging:LogLevel:Default=Warning "${CACHE_ARGS[@]}" >"$WORK/server.log" 2>&1) &
SERVER_PID=$!
for i in $(seq 300); do
  curl -fsS "http://127.0.0.1:$HTTP_PORT/healthz" >/dev/null 2>&1 && break
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then log "server exited:"; cat "$WORK/server.log" >&2; exit 1; fi
  sleep 0.2
  [[ $i == 300 ]] && { log "server did not become healthy"; cat "$WORK/server.log" >&2; exit 1; }
done

bench() { dotnet "$BENCH_DLL" "$@"; }

log "generating $CLAIMS claims over $SPEAKERS speakers (seed $SEED)"
bench generate --server "$SERVER" --speakers "$SPEAKERS" --claims "$CLAIMS" --seed "$SEED" \
  --concurrency "$GEN_CONCURRENCY" | tee "$WORK/generate.log"
GEN_LINE="$(grep '^claims:' "$WORK/generate.log" | tail -1)"
RSS_AFTER_LOAD="$(awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status")"

RESULTS="$WORK/results.jsonl"; : >"$RESULTS"
for s in $SCENARIOS; do
  log "scenario $s"
  bench load --server "$SERVER" --scenario "$s" --duration "$DURATION" --warmup "$WARMUP" \
    --callers "$CALLERS" --connections "$CONNECTIONS" --seed "$SEED" --results "$RESULTS"
done

PEAK_RSS_KB="$(awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status")"
CPU_MODEL="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
MEM_TOTAL="$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"

{
  echo "# FactCheck benchmark results"
  echo
  [[ -n "$LABEL" ]] && { echo "$LABEL"; echo; }
  echo "Produced by \`bench/run.sh\` on $(date -u +%Y-%m-%dT%H:%MZ) at commit \`$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)\`."
  echo
  echo "## Machine"
  echo
  echo "- CPU: $CPU_MODEL, nproc = $(nproc)"
  echo "- Memory: $MEM_TOTAL"
  echo "- OS: $(uname -sr), .NET $(dotnet --version)"
  echo "- Client and server on the same machine (loopback), sharing the CPUs."
  echo
  echo "## Setup"
  echo
  echo "- Store: SQLite (embedded, default settings), cache: $CACHE_DESC"
  echo "- Data: $CLAIMS claims over $SPEAKERS speakers (Zipf-skewed), seed $SEED; loaded with per-record CreateSpeaker/CreateClaim, $GEN_CONCURRENCY callers: \`$GEN_LINE\`"
  echo "- Load: $CALLERS callers over $CONNECTIONS HTTP/2 connections, warm-up $WARMUP, measured $DURATION per scenario, scenarios back to back against one server process"
  echo
  echo "## Results"
  echo
  bench report --results "$RESULTS" --baseline empty
  echo
  echo "Ratios are to the \`empty\` scenario (factcheck.bench.v1.BenchmarkService/Empty, served only in benchmark mode: no auth,"
  echo "store or cache) measured in the same run against the same server process. \`health\` runs the store and cache health checks"
  echo "on every call, so it is not a transport floor."
  echo
  echo "## Server memory"
  echo
  echo "- Peak RSS (VmHWM) after loading the data: $((RSS_AFTER_LOAD / 1024)) MiB"
  echo "- Peak RSS (VmHWM) at the end of the run: $((PEAK_RSS_KB / 1024)) MiB"
} >"$OUT"
log "wrote $OUT"
cat "$OUT"
