#!/usr/bin/env bash
# One-command benchmark: builds the server (Release), starts two server processes on one SQLite file on free
# loopback ports (one with a throwaway redis-server as its response cache, one without any cache), bulk-loads a
# synthetic data set through ImportClaims, runs every scenario back to back, adds redis-benchmark and h2load
# reference numbers, and writes bench/RESULTS.md. Everything it starts is stopped on exit.
#
#   bash bench/run.sh                                  # 1,000,000 claims / 20,000 speakers, 10 s per scenario
#   CLAIMS=20000 SPEAKERS=2000 DURATION=3s WARMUP=1s bash bench/run.sh   # a quick smoke run
#
# Scenario tokens: NAME[@nocache][:CALLERS]. @nocache sends it to the server without a cache; :CALLERS overrides
# CALLERS (a latency run with 1 caller shows the service time without queueing behind other callers).
# Knobs (environment): CLAIMS SPEAKERS SEED DURATION WARMUP CALLERS CONNECTIONS DEPTH GEN_CONCURRENCY BATCH SCENARIOS
#                      H2LOAD=auto|0  LABEL (a line put at the top of RESULTS.md)  OUT (default bench/RESULTS.md)
#                      DATA_DIR: keep the loaded database there, and reuse it (skipping the load) when it holds one
#                      POSTGRES: an Npgsql connection string to an empty database; the servers use it instead of SQLite
#                      SERVER_ARGS: more server options for both servers, e.g. --Search:Engine=store (the store's full-text
#                      index instead of the Lucene one, to compare in one data set)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CLAIMS="${CLAIMS:-1000000}"
SPEAKERS="${SPEAKERS:-20000}"
SEED="${SEED:-42}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-3s}"
CALLERS="${CALLERS:-64}"
CONNECTIONS="${CONNECTIONS:-4}"
DEPTH="${DEPTH:-100}"
GEN_CONCURRENCY="${GEN_CONCURRENCY:-2}"
BATCH="${BATCH:-2500}"
SCENARIOS="${SCENARIOS:-empty health get-claim get-claim@nocache list-by-speaker-first list-by-speaker-first@nocache list-by-speaker-first@nocache:1 list-by-speaker-deep@nocache list-by-speaker-deep@nocache:1 verify verify@nocache verify@nocache:1 search@nocache search@nocache:1}"
H2LOAD="${H2LOAD:-auto}"
LABEL="${LABEL:-}"
OUT="${OUT:-$ROOT/bench/RESULTS.md}"
POSTGRES="${POSTGRES:-}"

WORK="$(mktemp -d /tmp/factcheck-bench.XXXXXX)"
DB_DIR="${DATA_DIR:-$WORK}"
mkdir -p "$DB_DIR"
PIDS=()
cleanup() {
  local rc=$?
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
log() { echo "[bench] $*" >&2; }
peak_rss_mib() { awk '/VmHWM/ {printf "%d", $2/1024}' "/proc/$1/status"; }

source "$ROOT/scripts/packages.sh"
ensure_packages redis-server redis-server redis-tools
[[ "$H2LOAD" == "0" ]] || ensure_packages h2load nghttp2-client || log "h2load could not be installed: its reference rows are skipped"

log "building server and bench driver (Release)"
dotnet build "$ROOT/src/FactCheck.Server" -c Release -v q -nologo >/dev/null
dotnet build "$ROOT/bench/FactCheck.Bench" -c Release -v q -nologo >/dev/null
SERVER_DLL="$ROOT/src/FactCheck.Server/bin/Release/net10.0/FactCheck.Server.dll"
BENCH_DLL="$ROOT/bench/FactCheck.Bench/bin/Release/net10.0/FactCheck.Bench.dll"

# An admin key for this run only: fck_ + 43 base64url characters (32 random bytes).
export FACTCHECK_API_KEY="fck_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"

REDIS_PORT="$(free_port)"
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --dir "$WORK" --protected-mode yes \
  >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
REDIS_VERSION="$(redis-server --version | grep -o 'v=[0-9.]*' | cut -d= -f2)"

if [[ -n "$POSTGRES" ]]; then
  STORE_ARGS=(--Storage:Provider=postgres "--ConnectionStrings:Postgres=$POSTGRES")
  STORE_DESC="PostgreSQL $(psql --version 2>/dev/null | awk '{print $3}') (\`POSTGRES\` connection string), shared by two server processes:"
else
  STORE_ARGS=(--Storage:Provider=sqlite "--Storage:Sqlite:Path=$DB_DIR/bench.db")
fi

# start_server NAME [extra args...]: sets ${NAME}_URL, ${NAME}_HTTP and ${NAME}_PID.
start_server() {
  local name=$1; shift
  local grpc_port http_port pid
  grpc_port="$(free_port)"; http_port="$(free_port)"
  (cd "$WORK" && exec dotnet "$SERVER_DLL" \
    --Kestrel:Endpoints:Grpc:Url="http://127.0.0.1:$grpc_port" --Kestrel:Endpoints:Http:Url="http://127.0.0.1:$http_port" \
    "${STORE_ARGS[@]}" \
    --Auth:Keys:0:Principal=bench --Auth:Keys:0:Roles=admin --Auth:Keys:0:Secret="$FACTCHECK_API_KEY" \
    --Benchmark:Enabled=true --Logging:LogLevel:Default=Warning --Logging:LogLevel:FactCheck.Search=Information \
    --Logging:LogLevel:FactCheck.Semantics.Hosting=Information \
    "--Search:IndexPath=$DB_DIR/search-index-$name" ${SERVER_ARGS:-} "$@" >"$WORK/$name.log" 2>&1) &
  pid=$!
  PIDS+=("$pid")
  for i in $(seq 300); do
    curl -fsS "http://127.0.0.1:$http_port/healthz" >/dev/null 2>&1 && break
    if ! kill -0 "$pid" 2>/dev/null; then log "server $name exited:"; cat "$WORK/$name.log" >&2; exit 1; fi
    sleep 0.2
    [[ $i == 300 ]] && { log "server $name did not become healthy"; cat "$WORK/$name.log" >&2; exit 1; }
  done
  printf -v "${name}_URL" '%s' "http://127.0.0.1:$grpc_port"
  printf -v "${name}_HTTP" '%s' "http://127.0.0.1:$http_port"
  printf -v "${name}_PID" '%s' "$pid"
}

# The cached server first: it creates the database; the other opens the same file.
start_server cached "--ConnectionStrings:Redis=127.0.0.1:$REDIS_PORT"
start_server uncached
log "servers: $cached_URL (Redis cache), $uncached_URL (no cache); data in $DB_DIR"

bench() { dotnet "$BENCH_DLL" "$@"; }

if grep -qs '^claims:' "$DB_DIR/generate.log"; then
  log "reusing the data loaded in $DB_DIR: $(grep '^generate:' "$DB_DIR/generate.log")"
else
  log "loading $CLAIMS claims over $SPEAKERS speakers (seed $SEED) through ImportClaims, $BATCH per batch"
  bench generate --server "$cached_URL" --speakers "$SPEAKERS" --claims "$CLAIMS" --seed "$SEED" \
    --concurrency "$GEN_CONCURRENCY" --batch "$BATCH" --mode bulk | tee "$DB_DIR/generate.log"
fi
# wait_for_servers PATTERN WHAT: until both servers have logged a line matching PATTERN (or one has exited).
wait_for_servers() {
  log "waiting for the servers' $2"
  for name in cached uncached; do
    pid_var="${name}_PID"
    until grep -qs "$1" "$WORK/$name.log"; do
      kill -0 "${!pid_var}" 2>/dev/null || { log "server $name exited:"; cat "$WORK/$name.log" >&2; exit 1; }
      sleep 1
    done
  done
  log "$2: $(grep -h "$1" "$WORK/cached.log" "$WORK/uncached.log" | tr '\n' ' ')"
}
# Each server keeps its own search index beside the database (kept over DATA_DIR reuse); until it has caught up with
# the audit log after start (a rebuild when missing), searches go to the store's full-text index instead.
[[ "${SERVER_ARGS:-}" == *Search:Engine=store* ]] || wait_for_servers 'Search index current' "search indexes"
# Until its semantic index is built from the stored vectors, a server verifies by words only.
[[ "${SERVER_ARGS:-}" == *Semantics:Embedder=none* ]] || wait_for_servers 'Semantic index (' "semantic indexes"
GENERATED="$(grep '^generate:' "$DB_DIR/generate.log")"
SPEAKER_LINE="$(grep '^speakers:' "$DB_DIR/generate.log" | tail -1)"
GEN_LINE="$(grep '^claims:' "$DB_DIR/generate.log" | tail -1)"
RSS_AFTER_LOAD="$(peak_rss_mib "$cached_PID")"
[[ -n "$POSTGRES" ]] || STORE_DESC="SQLite (embedded, default settings: WAL, synchronous=FULL), one database file ($(du -sm "$DB_DIR"/bench.db* | awk '{s+=$1} END {print s}') MiB after loading) shared by two server processes:"

RESULTS="$WORK/results.jsonl"; : >"$RESULTS"
for token in $SCENARIOS; do
  scenario="${token%%[@:]*}"; server="$cached_URL"; label="$scenario"; callers="$CALLERS"
  [[ "$token" == *@nocache* ]] && { server="$uncached_URL"; label="$scenario, cache off"; }
  [[ "$token" == *:* ]] && { callers="${token##*:}"; label="$label, $callers caller"; }
  log "scenario $label"
  bench load --server "$server" --scenario "$scenario" --duration "$DURATION" --warmup "$WARMUP" --label "$label" \
    --callers "$callers" --connections "$([[ $callers -lt $CONNECTIONS ]] && echo 1 || echo "$CONNECTIONS")" \
    --depth "$DEPTH" --seed "$SEED" --results "$RESULTS"
done

log "redis-benchmark GET (50 clients) for reference"
REDIS_GET="$(redis-benchmark -h 127.0.0.1 -p "$REDIS_PORT" -t get -n 200000 -c 50 -q 2>/dev/null | tr '\r' '\n' | grep '^GET' | tail -1)"

# h2load: a C client using little CPU, so the server's own limit shows (the C# load generator shares the 2 CPUs).
H2LOAD_ROWS=""
if [[ "$H2LOAD" != "0" ]] && command -v h2load >/dev/null; then
  grpc_body() { python3 -c 'import sys; m=bytes.fromhex(sys.argv[1]); sys.stdout.buffer.write(b"\0"+len(m).to_bytes(4,"big")+m)' "$1"; }
  CLAIM_NAME="$(curl -fsS -H "authorization: Bearer $FACTCHECK_API_KEY" "$cached_HTTP/v1/claims?pageSize=1" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["claims"][0]["name"])')"
  grpc_body "" >"$WORK/empty.bin"
  grpc_body "0a$(printf '%02x' ${#CLAIM_NAME})$(printf '%s' "$CLAIM_NAME" | od -An -tx1 | tr -d ' \n')" >"$WORK/get.bin"
  h2() { # label url path body
    local status
    # h2load counts any HTTP 200 as a success, and gRPC errors are HTTP 200 too: check one call's grpc-status first.
    status="$(curl -s --http2-prior-knowledge -H 'content-type: application/grpc' -H 'te: trailers' \
      -H "authorization: Bearer $FACTCHECK_API_KEY" --data-binary "@$4" -D - -o /dev/null "$2$3" | tr -d '\r' | awk -F': ' '/^grpc-status/ {print $2}')"
    [[ "$status" == "0" ]] || { log "h2load $1: probe call returned grpc-status '$status'"; return; }
    local out rps mean failed
    out="$(h2load -D 10 --warm-up-time 2 -c 4 -m 32 -t 1 -H 'content-type: application/grpc' -H 'te: trailers' \
      -H "authorization: Bearer $FACTCHECK_API_KEY" -d "$4" "$2$3" 2>&1)"
    rps="$(grep -o 'finished in [^,]*, [0-9.]* req/s' <<<"$out" | awk '{print $4}')"
    mean="$(awk '/time for request:/ {print $6}' <<<"$out")"
    # h2load's failed / errored requests (an HTTP status other than 2xx / a stream reset or lost connection); a gRPC
    # error is an HTTP 200 and counts as a success to h2load.
    failed="$(grep -o '[0-9]* failed, [0-9]* errored' <<<"$out" | head -1 | awk '{print $1 " / " $3}')"
    H2LOAD_ROWS+="| \`$1\` | ${rps:-?} | ${mean:-?} | ${failed:-?} |"$'\n'
  }
  log "h2load references"
  h2 "empty" "$cached_URL" /factcheck.bench.v1.BenchmarkService/Empty "$WORK/empty.bin"
  h2 "get-claim (one hot claim)" "$cached_URL" /factcheck.v1.ClaimService/GetClaim "$WORK/get.bin"
  h2 "get-claim (one hot claim), cache off" "$uncached_URL" /factcheck.v1.ClaimService/GetClaim "$WORK/get.bin"
fi

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
  echo "- OS: $(uname -sr), .NET $(dotnet --version), Redis $REDIS_VERSION"
  echo "- Client and servers on the same machine (loopback), sharing the CPUs."
  echo
  echo "## Setup"
  echo
  echo "- Store: $STORE_DESC"
  echo "  one with a Redis response cache (and the in-process layer), one without any cache (rows marked \"cache off\")."
  echo "- Data (Zipf-skewed speakers): \`$GENERATED\`"
  echo "  - Speakers, one CreateSpeaker each, $GEN_CONCURRENCY callers: \`$SPEAKER_LINE\`"
  echo "  - Claims, ImportClaims batches of $BATCH, $GEN_CONCURRENCY callers: \`$GEN_LINE\`"
  echo "- Load: the C# load generator (\`bench/FactCheck.Bench load\`), $CALLERS callers over $CONNECTIONS HTTP/2 connections unless the row says"
  echo "  otherwise, warm-up $WARMUP, measured $DURATION per scenario, back to back. Deep pages: page $DEPTH of the most prolific speaker."
  echo
  echo "## Results"
  echo
  bench report --results "$RESULTS" --baseline empty
  echo
  echo "Ratios are to the \`empty\` scenario (factcheck.bench.v1.BenchmarkService/Empty, served only in benchmark mode: no auth,"
  echo "store or cache) measured in the same run against the cached server process. \`health\` runs the store and cache health checks"
  echo "on every call. The C# client needs about as much CPU per call as the server's cheapest handlers, so the fastest rows are"
  echo "bounded by the client sharing the two CPUs; see the h2load rows for the server's own limit."
  echo
  if [[ -n "$H2LOAD_ROWS" ]]; then
    echo "## h2load reference (4 connections x 32 streams, 10 s)"
    echo
    echo "| Call | Requests/s | Mean latency | Failed / errored |"
    echo "| --- | ---: | ---: | ---: |"
    printf '%s' "$H2LOAD_ROWS"
    echo
  fi
  echo "## Reference: Redis on this machine"
  echo
  echo "- \`redis-benchmark -t get -n 200000 -c 50\`: \`$REDIS_GET\`"
  echo
  echo "## Server memory (peak RSS, VmHWM)"
  echo
  echo "- Cached server after loading the data: $RSS_AFTER_LOAD MiB; at the end of the run: $(peak_rss_mib "$cached_PID") MiB"
  echo "- Uncached server at the end of the run: $(peak_rss_mib "$uncached_PID") MiB"
} >"$OUT"
log "wrote $OUT"
cat "$OUT"
