#!/usr/bin/env bash
# DB build at scale (issue 18 item 1): cold builds from generated Ubuntu aggregates (generate.mjs), keeping the
# release (Ubuntu:22.04:LTS) or the base (Ubuntu: every release, what the scan's provider asked for before),
# with the duplicate lookup by record id (new) or by package rows (old), interleaved in one run.
#   bench/vulndb-scale/run.sh [-n RUNS] [RECORDS...]     (default 3 runs; 1000 and 4000 records)
# Prints one JSON line per build (build-driver.ts) with the wall time and peak RSS of /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=3
if [ "${1:-}" = -n ]; then RUNS=$2; shift 2; fi
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 4000)
CACHE=${SCANROOK_BENCH_CACHE:-$HOME/.cache/scanrook-bench}/vulndb-scale
mkdir -p "$CACHE" node_modules/.cache/scanrook-bench
DRIVER=node_modules/.cache/scanrook-bench/vulndb-scale-build.mjs
node_modules/.bin/rolldown bench/vulndb-scale/build-driver.ts --platform node --format esm --external sql.js -o "$DRIVER" >/dev/null
for n in "${SIZES[@]}"; do
  [ -f "$CACHE/u$n/Ubuntu/all.zip" ] || node bench/vulndb-scale/generate.mjs "$CACHE/u$n" "$n" >&2
done
for r in $(seq 1 "$RUNS"); do
  for n in "${SIZES[@]}"; do
    for eco in Ubuntu:22.04:LTS Ubuntu; do
      for v in new old; do
        /usr/bin/time -f '%e %M' -o /tmp/vulndb-scale-time.$$ node "$DRIVER" "$CACHE/u$n/Ubuntu/all.zip" "$eco" "$v" |
          python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); w,m=open(sys.argv[1]).read().split(); d.update(run=int(sys.argv[2]), records=int(sys.argv[3]), wall_s=float(w), time_rss_mb=int(m)//1024); print(json.dumps(d))' /tmp/vulndb-scale-time.$$ "$r" "$n"
      done
    done
  done
done
rm -f /tmp/vulndb-scale-time.$$
