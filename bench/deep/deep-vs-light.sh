#!/usr/bin/env bash
# Light against deep mode (deep = light + YARA over the image's files), the CLI on the same images, offline
# (vulnerability data from test/fixtures/demo/osv, so no network and the same DB work in both modes).
#   bench/deep/deep-vs-light.sh [-n RUNS] [IMAGE...]   (default 3 runs; images: ../shared/images/lang.oci.tar
#                                                       and $SCANROOK_BENCH_CACHE/large.docker.tar, default
#                                                       ~/.cache/scanrook-bench: shared/images/scripts/build-large.sh)
#   SCANROOK_CLI=path/to/cli.js runs another build of the CLI (default dist/cli.js).
# Prints a markdown table: medians of wall time and peak RSS (/usr/bin/time -v), the scan status, and for deep
# the files and bytes YARA checked, how many of them the engine itself scanned (the others were cleared by the
# built-in rules' literals), whether the analysis was complete (the report's `yara` block), with the
# deep/light ratios. Light and deep alternate within each round, so the ratios come from the same run.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=3
if [ "${1:-}" = -n ]; then RUNS=$2; shift 2; fi
SHARED=${SCANROOK_SHARED:-$(cd .. && pwd)/shared}
IMAGES=("$@")
BENCH=${SCANROOK_BENCH_CACHE:-$HOME/.cache/scanrook-bench}
[ ${#IMAGES[@]} -gt 0 ] || IMAGES=("$SHARED/images/lang.oci.tar" "$BENCH/large.docker.tar")
CLI=${SCANROOK_CLI:-dist/cli.js}
[ -f "$CLI" ] || node .ci/build.mjs
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# one run: prints "wall_s rss_kb status files bytes detections stopped_by engine_files complete"
run() {
  local img=$1 mode=$2
  /usr/bin/time -v -o "$TMP/time" node "$CLI" scan "$img" --mode "$mode" --db-path test/fixtures/demo/osv \
    --no-db-cache --format json -q -o "$TMP/report.json" >/dev/null 2>"$TMP/err" || true
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$TMP/time")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$TMP/time")
  python3 - "$TMP/report.json" "$wall" "$rss" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
y = r.get('yara') or {}
print(sys.argv[2], sys.argv[3], r['scan_status'], y.get('files_scanned', 0), y.get('bytes_scanned', 0), len(r.get('detections', [])),
      y.get('stopped_by') or '-', y.get('engine_files', '-'), {True: 'yes', False: 'no'}.get(y.get('complete'), '-'))
PY
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
col() { cut -d' ' -f"$1" "$2" | median; }

echo "| image | mode | status | wall s | peak RSS MB | YARA files | YARA MiB | by the engine | detections | stopped by | complete |"
echo "|---|---|---|---:|---:|---:|---:|---:|---:|---|---|"
RATIOS=()
for img in "${IMAGES[@]}"; do
  : > "$TMP/light"; : > "$TMP/deep"
  for _ in $(seq 1 "$RUNS"); do
    run "$img" light >> "$TMP/light"
    run "$img" deep >> "$TMP/deep"
  done
  for mode in light deep; do
    f=$TMP/$mode
    printf '| %s | %s | %s | %.2f | %.0f | %s | %.1f | %s | %s | %s | %s |\n' "$(basename "$img")" "$mode" "$(cut -d' ' -f3 "$f" | sort -u | paste -sd/)" \
      "$(col 1 "$f")" "$(echo "$(col 2 "$f") / 1024" | bc -l)" "$(col 4 "$f")" "$(echo "$(col 5 "$f") / 1048576" | bc -l)" \
      "$(cut -d' ' -f8 "$f" | sort -u | paste -sd/)" "$(col 6 "$f")" "$(cut -d' ' -f7 "$f" | sort -u | paste -sd/)" \
      "$(cut -d' ' -f9 "$f" | sort -u | paste -sd/)"
  done
  RATIOS+=("$(basename "$img"): wall $(echo "$(col 1 "$TMP/deep") / $(col 1 "$TMP/light")" | bc -l | xargs printf '%.2f')x, peak RSS $(echo "$(col 2 "$TMP/deep") / $(col 2 "$TMP/light")" | bc -l | xargs printf '%.2f')x")
done
echo
echo "deep/light: ${RATIOS[*]}"
echo "(medians of $RUNS runs; $(nproc) cores; $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo); node $(node --version); load before: $LOAD0; after: $(cut -d' ' -f1-3 /proc/loadavg))"
