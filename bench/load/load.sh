#!/usr/bin/env bash
# Load benchmark: is ScanRook's peak memory flat as images grow, and what do 50,000 packages or a 20-image
# action step cost? For each image, in the same run and interleaved (floor, ScanRook, floor, …), N runs
# each; prints a markdown table of MEDIANS (wall seconds, peak RSS).
#
#   bench/load/load.sh [-n RUNS] [--only SUBSTRING] [-o OUT.md]
#
# Images: every shared image (shared/images/*.tar*), the demo image, the large benchmark image in its three
# layouts (built by shared/images/scripts/build-large.sh into $SCANROOK_BENCH_CACHE, default
# ~/.cache/scanrook-bench, when absent: ~3 min), and a synthetic image of 50,000 dpkg packages (built by
# bench/load/make-images.mjs into $SCANROOK_BENCH_CACHE/load, with the load tests' own builder), and from the shared
# package DBs' real records: 50,000 apk packages, 10,000 rpm packages (rpmdb.sqlite), Debian 12's status with a
# 100 MiB padded Description (bench/load/synthetic-dbs.ts).
# floor:    every tar header of every layer (bench/lib/floor-cmd.mjs, as bench/image-read.sh uses it)
# ScanRook: node dist/cli.js scan ARCHIVE --format json -q --db-path test/fixtures/demo/osv
# step:     the bundled action (dist/index.js, Node 24 from the `node` devDependency), INPUT_IMAGE-TAR with 20
#           lines (the 12 shared images + the demo image, in turn, repeats as distinct symlinks), INPUT_DB-PATH
#           the demo data: one process, 20 scans.
# Times and peak RSS come from /usr/bin/time -f '%e %M' (for a pipeline, its largest process).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SHARED=${SCANROOK_SHARED:-$REPO/../shared}
CACHE=${SCANROOK_BENCH_CACHE:-$HOME/.cache/scanrook-bench}
DB=$REPO/test/fixtures/demo/osv
DEMO=$REPO/test/fixtures/demo/debian-bookworm-dpkg.docker.tar
RUNS=3 ONLY= OUTFILE=
while [ $# -gt 0 ]; do
  case $1 in
    -n) RUNS=$2; shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    -o) OUTFILE=$2; shift 2 ;;
    *) echo "usage: $0 [-n RUNS] [--only SUBSTRING] [-o OUT.md]" >&2; exit 2 ;;
  esac
done
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
[ -f "$REPO/dist/cli.js" ] && [ -f "$REPO/dist/index.js" ] || (cd "$REPO" && node .ci/build.mjs)
NODE24=$(dirname "$(cd "$REPO" && node -p 'require.resolve("node/package.json")')")/bin/node
if [ ! -f "$CACHE/large.docker.tar" ] || [ ! -f "$CACHE/large.docker-oci.tar" ] || [ ! -f "$CACHE/large.oci.tar" ]; then
  echo "building the large benchmark image into $CACHE (about 3 minutes)..." >&2
  bash "$SHARED/images/scripts/build-large.sh" "$CACHE" >&2
fi
for name in many-50000 apk-50000 rpm-10000 status-100mib; do
  [ -f "$CACHE/load/$name.docker.tar" ] || node "$REPO/bench/load/make-images.mjs" "$CACHE/load" "$name" >&2
done

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

measure() { # NAME CMD... : appends "wall rss_kb" to $TMP/NAME (nan nan when the command fails)
  local name=$1; shift
  # the CLI exits 1 (policy fail) or 3 (scan failed) after a complete run: those count; a crash does not
  if ! /usr/bin/time -f '%e %M' -o "$TMP/t" "$@" >"$TMP/out" 2>"$TMP/err" && ! head -1 "$TMP/t" | grep -q 'non-zero status [13]$'; then
    echo "FAILED: $* (see below)" >&2; tail -5 "$TMP/err" >&2; echo "nan nan" >> "$TMP/$name"; return 0
  fi
  tail -1 "$TMP/t" >> "$TMP/$name"
}
median() { awk -v c="$1" '$c != "nan" {print $c}' "$2" | sort -g | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a=="nan"||b=="nan"||b==0) print "—"; else printf "%.2f", a/b }'; }
mb() { awk -v k="$1" 'BEGIN { if (k=="nan") print "—"; else printf "%.0f", k/1024 }'; }
size_h() { numfmt --to=iec --suffix=B "$(stat -L -c %s "$1")"; }
jq_count() { node -e 'try{const d=JSON.parse(require("fs").readFileSync(process.argv[1]));console.log(d.packages.length+" / "+d.scan_status)}catch{console.log("?")}' "$1"; }

{
  echo "| image | size | floor s | floor RSS MB | ScanRook s | ScanRook RSS MB | ScanRook/floor (time) | packages / status |"
  echo "|---|---:|---:|---:|---:|---:|---:|---|"
} > "$TMP/table"

IMAGES=()
for f in "$SHARED"/images/*.tar*; do IMAGES+=("$f"); done
IMAGES+=("$DEMO" "$CACHE/large.docker.tar" "$CACHE/large.docker-oci.tar" "$CACHE/large.oci.tar" "$CACHE/load/many-50000.docker.tar" "max10000:$CACHE/load/many-50000.docker.tar"
  "$CACHE/load/apk-50000.docker.tar" "max10000:$CACHE/load/apk-50000.docker.tar" "$CACHE/load/rpm-10000.docker.tar"
  "$CACHE/load/status-100mib.docker.tar")
for spec in "${IMAGES[@]}"; do
  extra=(); img=$spec; label=$(basename "$img")
  case $spec in max10000:*) img=${spec#max10000:}; extra=(--max-packages 10000); label="$(basename "$img") --max-packages 10000" ;; esac
  [ -z "$ONLY" ] || [[ $label == *"$ONLY"* ]] || continue
  echo "== $label" >&2
  rm -f "$TMP/floor" "$TMP/sr"
  floor=$(node "$REPO/bench/lib/floor-cmd.mjs" "$img")
  cat "$img" > /dev/null # warm the page cache
  for ((i = 1; i <= RUNS; i++)); do
    measure floor bash -c "set -o pipefail; $floor"
    measure sr node "$REPO/dist/cli.js" scan "$img" --format json -q --db-path "$DB" "${extra[@]}"
    [ "$i" = 1 ] && pkgs=$(jq_count "$TMP/out")
  done
  f=$(median 1 "$TMP/floor"); fm=$(median 2 "$TMP/floor"); s=$(median 1 "$TMP/sr"); sm=$(median 2 "$TMP/sr")
  echo "   floor $(tr '\n' ' ' < "$TMP/floor")| scanrook $(tr '\n' ' ' < "$TMP/sr")" >&2
  echo "| $label | $(size_h "$img") | $f | $(mb "$fm") | $s | $(mb "$sm") | $(ratio "$s" "$f") | $pkgs |" >> "$TMP/table"
done

# ---- one action step, 20 images
step_row=
if [ -z "$ONLY" ] || [[ "20-image step" == *"$ONLY"* ]]; then
  echo "== 20-image action step" >&2
  mkdir -p "$TMP/step/images"
  SRC=("$SHARED/images/alpine-3.10.docker.tar.gz" "$SHARED/images/alpine-3.11.docker.tar.gz" "$SHARED/images/debian-bookworm.oci.tar"
    "$SHARED/images/distroless-base.oci.tar" "$SHARED/images/hello-world.docker.tar" "$SHARED/images/lang.oci.tar"
    "$SHARED/images/rpm-fedora38.docker-oci.tar" "$SHARED/images/rpm-rocky9.docker.tar" "$SHARED/images/scratch-busybox.docker.tar"
    "$SHARED/images/scratch-go.docker.tar" "$SHARED/images/symlinks.tar" "$SHARED/images/whiteout.docker.tar" "$DEMO")
  lines=
  total=0
  for ((i = 0; i < 20; i++)); do
    src=${SRC[$((i % ${#SRC[@]}))]}
    link=$TMP/step/images/$(printf '%02d' $((i + 1)))-$(basename "$src")
    ln -s "$src" "$link"
    lines+="$link"$'\n'
    total=$((total + $(stat -L -c %s "$src")))
  done
  rm -f "$TMP/step.m"
  for ((i = 1; i <= RUNS; i++)); do
    d=$TMP/step/run$i; mkdir -p "$d"; : > "$d/out"; : > "$d/sum"
    env -i PATH="$PATH" GITHUB_OUTPUT="$d/out" GITHUB_STEP_SUMMARY="$d/sum" GITHUB_EVENT_NAME=push GITHUB_WORKSPACE="$d" RUNNER_TEMP="$d" \
      "INPUT_IMAGE-TAR=$lines" "INPUT_DB-PATH=$DB" "INPUT_REPORT-FILE=$d/scanrook-report.json" \
      /usr/bin/time -f '%e %M' -o "$TMP/t" "$NODE24" "$REPO/dist/index.js" > "$d/log" 2>&1 || true
    tail -1 "$TMP/t" >> "$TMP/step.m"
  done
  reports=$(ls "$TMP/step/run1"/scanrook-report-*.json 2>/dev/null | wc -l)
  verdict=$(awk '/^verdict<</{getline; print; exit}' "$TMP/step/run1/out")
  echo "   step $(tr '\n' ' ' < "$TMP/step.m")" >&2
  step_row="| 20 images in one action step ($(numfmt --to=iec --suffix=B $total) in all) | $(median 1 "$TMP/step.m") | $(mb "$(median 2 "$TMP/step.m")") | $reports reports, verdict $verdict |"
fi

{
  echo
  echo "Medians of $RUNS runs, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/^Mem:/{print $2}') GiB RAM, node $(node --version) (CLI) / $("$NODE24" --version) (action), load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  cat "$TMP/table"
  if [ -n "$step_row" ]; then
    echo
    echo "| action step | wall s | peak RSS MB | result |"
    echo "|---|---:|---:|---|"
    echo "$step_row"
  fi
} | tee ${OUTFILE:+"$OUTFILE"}
