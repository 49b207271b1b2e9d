#!/usr/bin/env bash
# Builds the Python wheel with jsii-pacmak, installs it with cdk8s and constructs from PyPI (the versions the
# TypeScript build uses) in a fresh virtual environment, runs each examples/python/*.py there and checks that
# every manifest it writes is byte-identical to the TypeScript examples' manifest of the same name in dist/.
# Needs the jsii build (lib/ and .jsii) and the TypeScript synth (dist/) first.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
# shellcheck disable=SC1091
. "$work/venv/bin/activate"
cdk8s_version=$(node -p "require('cdk8s/package.json').version")
constructs_version=$(node -p "require('constructs/package.json').version")
pip install --quiet --disable-pip-version-check "cdk8s==$cdk8s_version" "constructs==$constructs_version" setuptools wheel

npx jsii-pacmak --target python --outdir "$work/package"
wheel=$(ls "$work"/package/python/*.whl)
pip install --quiet --disable-pip-version-check "$wheel"
echo "installed $(basename "$wheel") with cdk8s $cdk8s_version and constructs $constructs_version from PyPI"

for example in examples/python/*.py; do
  out="$work/out/$(basename "$example" .py)"
  mkdir -p "$out"
  (cd "$out" && python "$root/$example" > /dev/null)
  bash scripts/same-manifests.sh "$out" "$example"
done
