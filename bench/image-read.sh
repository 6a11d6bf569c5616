#!/usr/bin/env bash
# Image-read benchmark: for each image archive, in the same run and interleaved (floor, ScanRook, Trivy, then
# again), N times each; prints a markdown table of MEDIANS (wall seconds, peak RSS) and the ratios
# ScanRook/floor and ScanRook/Trivy.
#
#   bench/image-read.sh [-n RUNS] [--no-trivy] [--only SUBSTRING] [--node NODE] [-o OUT.md]
#
# --node: the node binary that runs ScanRook (default: `node` on PATH; the action runs Node 24, pinned as the
# `node` devDependency: --node node_modules/node/bin/node). The table's footer names its version.
#
# Images: the large benchmark image in its 3 layouts (built into $SCANROOK_BENCH_CACHE, default
# ~/.cache/scanrook-bench, by shared/images/scripts/build-large.sh when absent: ~3 min, needs root + apt) and
# every shared image (shared/images/*.tar*). "large.docker.tar (stream)" reads the same archive through the
# CLI's `docker:REF` path: a stand-in `docker` on PATH answers `docker save REF` with `cat ARCHIVE`, so the
# reader gets a single-pass pipe exactly as from a real `docker save` (minus the engine's own cost).
#
# floor: every tar header of every layer, decompressing compressed layers (see bench/lib/floor-cmd.mjs).
# ScanRook: node dist/cli.js scan ARCHIVE --format json -q --db-path DEMO.db
#           (image read + inventory + matching + JSON report; built if missing). DEMO.db is built once per run
#           of this script, untimed, by `scanrook db build` from the small offline demo data in
#           test/fixtures/demo/osv, so each scan loads a ready DB file as a warm DB cache does, and nothing is
#           fetched from the network (no download, no retries).
# reader:  the image reader alone in a fresh node (bench/read-driver.ts, bundled once): no CLI start-up,
#          inventory, DB or report; light mode's file requests. One read per run, wall time.
# Trivy:   shared/peers/trivy.sh ARCHIVE   (cold cache each run; OCI archives are unpacked first, counted)
# Times and peak RSS come from /usr/bin/time (-f '%e %M'; for a pipeline, the largest process's RSS).
# A failed run is reported on stderr and left out of the medians.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${SCANROOK_SHARED:-$REPO/../shared}
CACHE=${SCANROOK_BENCH_CACHE:-$HOME/.cache/scanrook-bench}
RUNS=5 TRIVY=1 ONLY= OUTFILE= NODE=node
while [ $# -gt 0 ]; do
  case $1 in
    -n) RUNS=$2; shift 2 ;;
    --no-trivy) TRIVY=0; shift ;;
    --only) ONLY=$2; shift 2 ;;
    -o) OUTFILE=$2; shift 2 ;;
    --node) NODE=$2; shift 2 ;;
    *) echo "usage: $0 [-n RUNS] [--no-trivy] [--only SUBSTRING] [--node NODE] [-o OUT.md]" >&2; exit 2 ;;
  esac
done
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
[ -f "$REPO/dist/cli.js" ] || (cd "$REPO" && node .ci/build.mjs)
if [ ! -f "$CACHE/large.docker.tar" ] || [ ! -f "$CACHE/large.docker-oci.tar" ] || [ ! -f "$CACHE/large.oci.tar" ]; then
  echo "building the large benchmark image into $CACHE (about 3 minutes)..." >&2
  bash "$SHARED/images/scripts/build-large.sh" "$CACHE" >&2
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/bin"
cat > "$TMP/bin/docker" <<'EOF'
#!/bin/sh
# stand-in for `docker save REF`: streams $BENCH_ARCHIVE to stdout
[ "$1" = save ] || { echo "bench docker stand-in: only 'save'" >&2; exit 1; }
exec cat "$BENCH_ARCHIVE"
EOF
chmod +x "$TMP/bin/docker"
# the demo DB, built once (untimed): the scans below load it as they would a cached DB
"$NODE" "$REPO/dist/cli.js" db build --from "$REPO/test/fixtures/demo/osv" --out "$TMP/demo.db" >/dev/null
# the reader-alone driver, bundled once
mkdir -p "$REPO/node_modules/.cache/scanrook-bench"
"$REPO/node_modules/.bin/rolldown" "$REPO/bench/read-driver.ts" --platform node --format esm --external sql.js -o "$REPO/node_modules/.cache/scanrook-bench/read-driver.mjs" >/dev/null
DRIVER=$REPO/node_modules/.cache/scanrook-bench/read-driver.mjs

# measure NAME CMD... : runs under /usr/bin/time, appends "wall rss_kb" to $TMP/NAME
measure() {
  local name=$1; shift
  if ! /usr/bin/time -f '%e %M' -o "$TMP/t" "$@" >"$TMP/out" 2>"$TMP/err"; then
    echo "FAILED: $* (see below)" >&2; tail -5 "$TMP/err" >&2; echo "nan nan" >> "$TMP/$name"; return 0
  fi
  tail -1 "$TMP/t" >> "$TMP/$name"
}
# measure_reader CMD... : the reader-alone driver; appends "wall_s rss_kb" (its own wall time, the process's peak RSS)
measure_reader() {
  if ! /usr/bin/time -f '%e %M' -o "$TMP/t" "$@" >"$TMP/out" 2>"$TMP/err"; then
    echo "FAILED: $* (see below)" >&2; tail -5 "$TMP/err" >&2; echo "nan nan" >> "$TMP/rd"; return 0
  fi
  echo "$(node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8").trim().split("\n").pop());console.log((r.wall_ms/1000).toFixed(3))' "$TMP/out") $(tail -1 "$TMP/t" | cut -d' ' -f2)" >> "$TMP/rd"
}
# median COLUMN FILE
median() { awk -v c="$1" '$c != "nan" {print $c}' "$2" | sort -g | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a=="nan"||b=="nan"||b==0) print "—"; else printf "%.2f", a/b }'; }
mb() { awk -v k="$1" 'BEGIN { if (k=="nan") print "—"; else printf "%.0f", k/1024 }'; }
size_h() { numfmt --to=iec --suffix=B "$(stat -c %s "$1")"; }

IMAGES=("$CACHE/large.docker.tar" "stream:$CACHE/large.docker.tar" "$CACHE/large.docker-oci.tar" "$CACHE/large.oci.tar")
for f in "$SHARED"/images/*.tar*; do IMAGES+=("$f"); done

{
  echo "| image | size | floor s | ScanRook s | ScanRook RSS MB | reader alone s | reader RSS MB | Trivy s | Trivy RSS MB | ScanRook/floor | reader/floor | ScanRook/Trivy | packages |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
} > "$TMP/table"

for spec in "${IMAGES[@]}"; do
  stream=0; img=$spec
  case $spec in stream:*) stream=1; img=${spec#stream:} ;; esac
  label=$(basename "$img"); [ $stream = 1 ] && label="$label (stream)"
  [ -z "$ONLY" ] || [[ $label == *"$ONLY"* ]] || continue
  echo "== $label" >&2
  rm -f "$TMP/floor" "$TMP/sr" "$TMP/rd" "$TMP/trivy"
  floor=$(node "$REPO/bench/lib/floor-cmd.mjs" "$img")
  cat "$img" > /dev/null # warm the page cache
  for ((i = 1; i <= RUNS; i++)); do
    measure floor bash -c "set -o pipefail; $floor"
    if [ $stream = 1 ]; then
      BENCH_ARCHIVE=$img PATH="$TMP/bin:$PATH" measure sr "$NODE" "$REPO/dist/cli.js" scan docker:bench/image:1 --format json -q --db-path "$TMP/demo.db"
    else
      measure sr "$NODE" "$REPO/dist/cli.js" scan "$img" --format json -q --db-path "$TMP/demo.db"
    fi
    cp "$TMP/out" "$TMP/sr.json"
    if [ $stream = 1 ]; then
      BENCH_ARCHIVE=$img PATH="$TMP/bin:$PATH" measure_reader "$NODE" "$DRIVER" docker:bench/image:1
    else
      measure_reader "$NODE" "$DRIVER" "$img"
    fi
    [ "$i" = 1 ] && pkgs=$(node -e 'try{const d=JSON.parse(require("fs").readFileSync(process.argv[1]));console.log(d.packages.length)}catch{console.log("?")}' "$TMP/sr.json")
    if [ $TRIVY = 1 ] && [ $stream = 0 ]; then measure trivy bash "$SHARED/peers/trivy.sh" "$img"; fi
  done
  f=$(median 1 "$TMP/floor"); s=$(median 1 "$TMP/sr"); sm=$(median 2 "$TMP/sr"); r=$(median 1 "$TMP/rd"); rm_=$(median 2 "$TMP/rd")
  if [ -f "$TMP/trivy" ]; then t=$(median 1 "$TMP/trivy"); tm=$(median 2 "$TMP/trivy"); else t=nan; tm=nan; fi
  echo "   floor $(tr '\n' ' ' < "$TMP/floor")| scanrook $(tr '\n' ' ' < "$TMP/sr")| reader $(tr '\n' ' ' < "$TMP/rd")| trivy $(cat "$TMP/trivy" 2>/dev/null | tr '\n' ' ')" >&2
  tcol=$t; [ "$t" = nan ] && tcol="—"
  echo "| $label | $(size_h "$img") | $f | $s | $(mb "$sm") | $r | $(mb "$rm_") | $tcol | $(mb "$tm") | $(ratio "$s" "$f") | $(ratio "$r" "$f") | $(ratio "$s" "$t") | $pkgs |" >> "$TMP/table"
done

{
  echo
  echo "Medians of $RUNS runs, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), ScanRook on node $("$NODE" --version), load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  cat "$TMP/table"
} | tee ${OUTFILE:+"$OUTFILE"}
