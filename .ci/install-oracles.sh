#!/usr/bin/env bash
# Installs the system tools the tests use as oracles, when missing (test/helpers/oracles.ts gates each test on
# them and names the same Debian packages; with CI set a missing one fails the tests). Used by .ci/run and by
# .github/workflows/test.yml, so both install the same. Run as root (the workflow runs it with sudo).
#   rpm (rpm -qa, rpm.vercmp)  go (go version -m, go mod edit)  cmark-gfm (GitHub's markdown engine)
#   bundle (Bundler's lockfile parser)  apt_pkg (libapt's comparator, python3-apt)  maven's maven-artifact jar
#   python3's packaging (PEP 440)  zstd, unzip (test data)
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
missing=()
for pair in rpm:rpm go:golang-go cmark-gfm:cmark-gfm bundle:ruby-bundler zstd:zstd unzip:unzip; do
  command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
done
/usr/bin/python3 -c 'import apt_pkg' 2>/dev/null || missing+=(python3-apt)
[ -f /usr/share/maven/lib/maven-artifact-3.x.jar ] || missing+=(maven)
python3 -c 'import packaging' 2>/dev/null || missing+=(python3-packaging)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
python3 -c 'import packaging' 2>/dev/null || { echo "python3 'packaging' is missing (the PEP 440 oracle)"; exit 1; }
command -v docker >/dev/null || { echo "the docker CLI is missing (the image-reference oracle and the engine tests need it)"; exit 1; }
echo "oracles: $(rpm --version), $(go version | cut -d' ' -f3), cmark-gfm $(cmark-gfm --version | head -1 | awk '{print $2}'), bundler $(bundle --version | awk '{print $3}'), $(docker --version | cut -d, -f1)"
