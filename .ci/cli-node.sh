#!/usr/bin/env bash
# The CLI (dist/cli.js) on each Node binary given: the README's scan command (the demo image against the demo
# OSV slice) must exit 0 with scan_status done and 16 findings. .ci/run gives it Node 20 (the CLI's floor, as
# the README says) and the Node 24 of the `node` devDependency (the action's runtime).
set -euo pipefail
cd "$(dirname "$0")/.."
cmd=$(sed -n 's/^node \(dist\/cli\.js scan .*\)$/\1/p' README.md | head -n1)
[ -n "$cmd" ] || { echo "cli-node: the README's 'node dist/cli.js scan ...' command not found" >&2; exit 1; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for node in "$@"; do
  v=$("$node" --version)
  rc=0
  # shellcheck disable=SC2086 # the README's command, split into words as a shell would
  "$node" $cmd --format json --quiet >"$out" || rc=$?
  got=$("$node" -e 'const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8")); console.log(`${r.scan_status} ${r.findings.length}`)' "$out")
  if [ "$rc" != 0 ] || [ "$got" != "done 16" ]; then
    echo "cli-node: Node $v: exit $rc, '$got' (want exit 0, 'done 16')" >&2
    exit 1
  fi
  echo "CLI on Node $v: exit 0, scan_status done, 16 findings"
done
