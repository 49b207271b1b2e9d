#!/usr/bin/env bash
# jsii-pacmak names the npm tarball <name>@<version>.jsii.tgz; give it npm's own name, <name>-<version>.tgz.
set -euo pipefail
for f in dist/js/*.jsii.tgz; do
  [ -e "$f" ] || continue
  mv "$f" "$(echo "$f" | sed -E 's/@([^@/]*)\.jsii\.tgz$/-\1.tgz/')"
done
