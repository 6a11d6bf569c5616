#!/usr/bin/env bash
# YARA-X (WebAssembly, as ScanRook ships it) against Debian's libyara `yara` CLI on the same files and the same
# (built-in) rules: an oracle for the engine's raw throughput only, never used by the product.
#   bench/deep/engine-vs-yara.sh [IMAGE]   (default ../shared/images/lang.oci.tar; needs `apt-get install yara`)
# The image's layers are extracted under a temp folder (regular files only, later layers over earlier ones),
# the files YARA would check are listed (distribution data trees and archives left out, 1 B – 8 MiB), and
# both engines scan that list: `yara` with 1 and 2 threads, YARA-X per file (one Scanner, one thread), over
# one 64 MiB buffer, and the literal prefilter alone (bench/deep/engine-throughput.mjs).
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED=${SCANROOK_SHARED:-$(cd .. && pwd)/shared}
IMG=${1:-$SHARED/images/lang.oci.tar}
command -v yara >/dev/null || { echo "yara is missing (apt-get install -y yara)" >&2; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
python3 - "$IMG" "$TMP/root" <<'PY'
import gzip, io, json, os, sys, tarfile
img, root = sys.argv[1], sys.argv[2]
outer = tarfile.open(img)
names = outer.getnames()
def member(n): return outer.extractfile(n.lstrip('./') if n.lstrip('./') in names else n).read()
if 'index.json' in names or './index.json' in names:
    idx = json.loads(member('index.json'))
    man = json.loads(member('blobs/' + idx['manifests'][0]['digest'].replace(':', '/')))
    layers = ['blobs/' + l['digest'].replace(':', '/') for l in man['layers']]
else:
    layers = json.loads(member('manifest.json'))[0]['Layers']
for l in layers:
    data = member(l)
    if data[:2] == b'\x1f\x8b': data = gzip.decompress(data)
    with tarfile.open(fileobj=io.BytesIO(data)) as t:
        for m in t:
            if not m.isfile() or os.path.basename(m.name).startswith('.wh.'): continue
            p = os.path.normpath(os.path.join(root, m.name.lstrip('/')))
            if not p.startswith(root): continue
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, 'wb') as f: f.write(t.extractfile(m).read())
PY
( cd "$TMP/root" && find . -type f -size +0c -size -8193k \
    | grep -Ev '^\./(proc|sys|dev|run|usr/share/(doc|man|info|locale|i18n|zoneinfo|mime|icons|fonts|help|lintian|common-licenses|terminfo|perl5?)|usr/include|usr/lib/locale|var/lib/(dpkg|apt|rpm|apk)|var/cache|var/log|etc/ssl/certs|usr/share/ca-certificates)/' \
    | grep -Eiv '\.(gz|tgz|bz2|xz|zst|zip|jar|war|whl|egg|deb|rpm|7z|pyc|pyo)$' \
    | sed "s#^\.#$TMP/root#" ) > "$TMP/list"
for f in src/yara/rules/private-keys.ts src/yara/rules/cloud-credentials.ts src/yara/rules/malware.ts; do
  python3 -c 'import re,sys; print(re.search(r"String\.raw`([\s\S]*?)`;", open(sys.argv[1]).read()).group(1))' "$f"
done > "$TMP/rules.yar"
echo "image: $(basename "$IMG"); files: $(wc -l < "$TMP/list"); bytes: $(tr '\n' '\0' < "$TMP/list" | du -cb --files0-from=- | tail -1 | cut -f1); load: $(cut -d' ' -f1-3 /proc/loadavg)"
tr "\n" "\0" < "$TMP/list" | xargs -0 cat > /dev/null  # warm the page cache for both
for p in 1 2; do
  s=$(date +%s.%N); n=$(yara -p "$p" -w "$TMP/rules.yar" --scan-list "$TMP/list" | wc -l); e=$(date +%s.%N)
  echo "libyara $(yara --version), $p thread(s): $(echo "$e - $s" | bc -l | xargs printf '%.2f') s, $n match line(s)"
done
node bench/deep/engine-throughput.mjs "$TMP/list" "$TMP/rules.yar"
