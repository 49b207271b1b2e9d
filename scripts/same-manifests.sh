#!/usr/bin/env bash
# Usage: scripts/same-manifests.sh <dir> <example>: every manifest the example wrote into <dir>/dist must be
# byte-identical to the TypeScript examples' in dist/ (run from the repository root).
set -euo pipefail
written=$(ls "$1"/dist/*.k8s.yaml)
for manifest in $written; do
  cmp "$manifest" "dist/$(basename "$manifest")"
done
echo "$2: $(echo "$written" | wc -l) manifests, byte-identical to the TypeScript examples'"
