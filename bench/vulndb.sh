#!/usr/bin/env bash
# Cold (download + build) against warm (cache) vulnerability-DB runs of the CLI, on the same image, in one run.
# A local HTTP server (python3 -m http.server on 127.0.0.1) serves ../shared/data/osv laid out as OSV's bucket.
#   bench/vulndb.sh [-n RUNS] [IMAGE...]     (default 5 runs; images: alpine-3.10 and lang from ../shared/images)
# Prints a markdown table: medians of wall time, peak RSS and the report's `vulndb` stage time.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=5
if [ "${1:-}" = -n ]; then RUNS=$2; shift 2; fi
SHARED=${SCANROOK_SHARED:-$(cd .. && pwd)/shared}
IMAGES=("$@")
[ ${#IMAGES[@]} -gt 0 ] || IMAGES=("$SHARED/images/alpine-3.10.docker.tar.gz" "$SHARED/images/lang.oci.tar")
[ -f dist/cli.js ] || node .ci/build.mjs
TMP=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$SHARED/data/osv" >"$TMP/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$TMP"' EXIT
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$PORT/" >/dev/null 2>&1 && break; sleep 0.1; done

# one run: prints "wall_s rss_kb vulndb_ms"
run() {
  local img=$1 cache=$2
  /usr/bin/time -f '%e %M' -o "$TMP/time" node dist/cli.js scan "$img" --db-url "http://127.0.0.1:$PORT" \
    --db-cache-dir "$cache" --format json -q -o "$TMP/report.json" || true
  local ms
  ms=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["timings"]["stages"].get("vulndb", 0))' "$TMP/report.json")
  echo "$(cat "$TMP/time") $ms"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "| image | run | wall s | peak RSS MB | vulndb stage ms |"
echo "|---|---|---:|---:|---:|"
for img in "${IMAGES[@]}"; do
  : > "$TMP/cold"; : > "$TMP/warm"
  for _ in $(seq 1 "$RUNS"); do
    rm -rf "$TMP/cache"
    run "$img" "$TMP/cache" >> "$TMP/cold"   # empty cache: download + build
    run "$img" "$TMP/cache" >> "$TMP/warm"   # today's DB restored from the cache folder
  done
  for kind in cold warm; do
    w=$(cut -d' ' -f1 "$TMP/$kind" | median); r=$(cut -d' ' -f2 "$TMP/$kind" | median); v=$(cut -d' ' -f3 "$TMP/$kind" | median)
    printf '| %s | %s | %.2f | %.0f | %.0f |\n' "$(basename "$img")" "$kind" "$w" "$(echo "$r / 1024" | bc -l)" "$v"
  done
done
echo
echo "(medians of $RUNS runs; $(nproc) cores; node $(node --version); requests served: $(grep -c '"GET' "$TMP/server.log"))"
