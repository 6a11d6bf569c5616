#!/usr/bin/env bash
# Run test/docker (reading images straight from `docker save`) against real Docker engines:
#   bookworm  Debian 12 docker.io 20.10  -> legacy save layout (manifest.json + <id>/layer.tar)
#   trixie    Debian 13 docker.io 26.1   -> Docker 25+ save layout (index.json + blobs/sha256 + manifest.json)
# Each engine is a private dockerd started by ../shared/images/scripts/dockerd-test.sh in a temp folder and
# always stopped again by the PID it started (trap), whatever happens. Run from the repository root, as root.
#   SCANROOK_DOCKER_ENGINES="bookworm trixie"   engines to run (default both)
#   SCANROOK_SHARED=../shared                  the shared corpus
# Exits non-zero when any engine fails to start or any test fails.
set -euo pipefail

cd "$(dirname "$0")/.."
SHARED=${SCANROOK_SHARED:-$(cd .. && pwd)/shared}
IMAGES="$SHARED/images"
DOCKERD_SH="$IMAGES/scripts/dockerd-test.sh"
ENGINES=${SCANROOK_DOCKER_ENGINES:-bookworm trixie}
[ -f "$DOCKERD_SH" ] || { echo "docker-tests: $DOCKERD_SH not found (is ../shared beside the repo?)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "docker-tests: python3 is needed to repack the OCI test image" >&2; exit 1; }

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# An OCI image archive (no manifest.json) is not accepted by `docker load` on either engine (classic image
# store: "open .../blobs/json: no such file or directory"). Add the Docker 25+ style manifest.json that
# points into the blobs; the blobs themselves are copied unchanged. Streams: OCI archive in, tar out.
REPACK_PY=$(cat <<'PY'
import json, sys, tarfile
src, tag = sys.argv[1], sys.argv[2]
with tarfile.open(src, 'r:') as t:
    def blob(d):
        return t.extractfile('blobs/' + d.replace(':', '/')).read()
    index = json.loads(t.extractfile('index.json').read())
    m = index['manifests'][0]
    man = json.loads(blob(m['digest']))
    while 'manifests' in man:  # nested index: take the first image
        man = json.loads(blob(man['manifests'][0]['digest']))
    entry = [{'Config': 'blobs/' + man['config']['digest'].replace(':', '/'), 'RepoTags': [tag],
              'Layers': ['blobs/' + l['digest'].replace(':', '/') for l in man['layers']]}]
    data = json.dumps(entry).encode()
    with tarfile.open(fileobj=sys.stdout.buffer, mode='w|', format=tarfile.USTAR_FORMAT) as out:
        for member in t:
            out.addfile(member, t.extractfile(member) if member.isfile() else None)
        info = tarfile.TarInfo('manifest.json'); info.size = len(data); info.mode = 0o644
        import io; out.addfile(info, io.BytesIO(data))
PY
)

DIR=""
ENGINE=""
cleanup() {
  if [ -n "$DIR" ]; then
    DOCKERD_ENGINE=$ENGINE bash "$DOCKERD_SH" stop "$DIR" || true
    rm -rf "$DIR"
    DIR=""
  fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

failed=()
summary=()
for ENGINE in $ENGINES; do
  echo "::group::docker tests on engine $ENGINE"
  t0=$(now)
  DIR=$(mktemp -d "/tmp/scanrook-dockerd-$ENGINE.XXXXXX")
  # (the first start of trixie also prints apt's download lines on stdout: keep only the export line)
  if ! START_OUT=$(DOCKERD_ENGINE=$ENGINE bash "$DOCKERD_SH" start "$DIR") \
     || ! HOST_LINE=$(printf '%s\n' "$START_OUT" | grep -E '^export DOCKER_HOST=unix://' | tail -n1); then
    printf '%s\n' "${START_OUT:-}"
    echo "docker-tests: engine $ENGINE did not start" >&2
    failed+=("$ENGINE(start)"); cleanup; echo "::endgroup::"; continue
  fi
  t1=$(now)
  DOCKER_HOST=${HOST_LINE#export DOCKER_HOST=}
  # Use the engine's own CLI (Debian's docker.io 20.10 CLI, or the unpacked Docker 26 one), first on PATH.
  case "$ENGINE" in
    bookworm) CLI=/usr/bin/docker ;;
    trixie) CLI="$DIR/engine/root/usr/bin/docker" ;;
    *) CLI=$(command -v docker) ;;
  esac
  mkdir -p "$DIR/bin" && ln -sf "$CLI" "$DIR/bin/docker"
  export PATH="$DIR/bin:$PATH" DOCKER_HOST
  echo "engine $ENGINE: $(docker version --format 'client {{.Client.Version}}, server {{.Server.Version}} (API {{.Server.APIVersion}})') at $DOCKER_HOST"

  load_ok=1
  for f in bad/small.docker.tar alpine-3.10.docker.tar.gz rpm-fedora38.docker-oci.tar rpm-rocky9.docker.tar; do
    docker load -q -i "$IMAGES/$f" || { echo "docker-tests: docker load $f failed" >&2; load_ok=0; }
  done
  python3 -c "$REPACK_PY" "$IMAGES/debian-bookworm.oci.tar" scanrook-test/debian-bookworm:12 | docker load -q \
    || { echo "docker-tests: docker load of the repacked debian-bookworm.oci.tar failed" >&2; load_ok=0; }
  t2=$(now)

  rc=0
  if [ "$load_ok" = 1 ]; then
    SCANROOK_DOCKER_TESTS=1 SCANROOK_DOCKER_ENGINE=$ENGINE SCANROOK_SHARED="$SHARED" \
      npx vitest run --config test/vitest.config.ts test/docker || rc=$?
  else
    rc=1
  fi
  t3=$(now)
  [ "$rc" = 0 ] || failed+=("$ENGINE")
  PATH=${PATH#"$DIR/bin:"}
  cleanup
  t4=$(now)
  summary+=("$ENGINE: start $(secs "$t0" "$t1")s, load $(secs "$t1" "$t2")s, tests $(secs "$t2" "$t3")s, stop $(secs "$t3" "$t4")s, total $(secs "$t0" "$t4")s, $([ "$rc" = 0 ] && echo passed || echo FAILED)")
  echo "::endgroup::"
done

echo "docker tests timing:"
for s in "${summary[@]}"; do echo "  $s"; done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "docker tests FAILED on: ${failed[*]}" >&2
  exit 1
fi
echo "docker tests passed on: $ENGINES"
