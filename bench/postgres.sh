#!/usr/bin/env bash
# PostgreSQL against SQLite on the same data and load, in one run: starts a throwaway PostgreSQL cluster on loopback
# with the profile below, runs bench/run.sh on SQLite and then on PostgreSQL (same CLAIMS, SPEAKERS, SEED, scenarios),
# and prints each store's rows and the PostgreSQL/SQLite ratio of every scenario. Results go to bench/postgres-*.md.
#
#   CLAIMS=5000 SPEAKERS=500 bash bench/postgres.sh     # the default: uncached GetClaim and the list's first page
#
# The profile (POSTGRES_SETTINGS), chosen so the comparison is of the stores, not of a starved or unsafe server:
#   - durability as in production: fsync, synchronous_commit and full_page_writes on (the defaults), as SQLite keeps
#     synchronous=FULL;
#   - shared_buffers=256MB: the data set fits in memory, as the SQLite file does in the page cache;
#   - max_connections=250: two server processes, each with a pool of up to 100 (Npgsql's default), and the bench's own;
#   - jit=off: JIT compilation only ever costs time on the store's short indexed statements.
# Both servers use Npgsql's auto-prepare (the store sets Max Auto Prepare=256 unless the connection string sets it).
# The other knobs of bench/run.sh pass through (DURATION, WARMUP, CALLERS, SCENARIOS, H2LOAD...).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export CLAIMS="${CLAIMS:-5000}" SPEAKERS="${SPEAKERS:-500}"
export SCENARIOS="${SCENARIOS:-empty get-claim@nocache get-claim@nocache:1 list-by-speaker-first@nocache:1}"
export POSTGRES_SETTINGS="${POSTGRES_SETTINGS:--c shared_buffers=256MB -c max_connections=250 -c jit=off}"

source scripts/services/common.sh
# A cluster of its own: scripts/services/postgres.sh restarts any cluster left in its directory, the tests' one too.
service_root="$root/.bench-services"
mkdir -p "$service_root"
source scripts/services/postgres.sh
port="$(grep -o 'Port=[0-9]*' <<<"$FACTCHECK_TEST_POSTGRES" | cut -d= -f2)"
psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE factcheck_bench"
postgres="$(sed 's/Database=postgres/Database=factcheck_bench/' <<<"$FACTCHECK_TEST_POSTGRES")"

OUT="$root/bench/postgres-sqlite.md" LABEL="Store comparison (bench/postgres.sh): SQLite" bash bench/run.sh >/dev/null
OUT="$root/bench/postgres-postgres.md" LABEL="Store comparison (bench/postgres.sh): PostgreSQL, settings: $POSTGRES_SETTINGS" \
  POSTGRES="$postgres" bash bench/run.sh >/dev/null

# The load generator's rows, "| `scenario` | callers | req/s | p50 | ...", and h2load's, "| `call` | req/s | mean |":
# PostgreSQL's over SQLite's, per row.
python3 - "$root/bench/postgres-sqlite.md" "$root/bench/postgres-postgres.md" <<'PY'
import sys
def rows(path):
    table = {}
    for line in open(path):
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        number = lambda cell: cell.replace(',', '').replace('.', '').isdigit()
        if len(cells) >= 4 and cells[0].startswith('`') and number(cells[2]):
            table[cells[0]] = (float(cells[2].replace(',', '')), cells[3])
        elif len(cells) == 3 and cells[0].startswith('`') and number(cells[1]):
            table["h2load " + cells[0]] = (float(cells[1]), cells[2] + " mean")
    return table
sqlite, postgres = rows(sys.argv[1]), rows(sys.argv[2])
print("| Scenario | SQLite req/s (p50 ms) | PostgreSQL req/s (p50 ms) | PostgreSQL / SQLite |")
print("| --- | ---: | ---: | ---: |")
for name, (rps, p50) in sqlite.items():
    if name in postgres:
        print(f"| {name} | {rps:,.0f} ({p50}) | {postgres[name][0]:,.0f} ({postgres[name][1]}) | {postgres[name][0] / rps:.2f}x |")
PY
