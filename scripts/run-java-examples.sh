#!/usr/bin/env bash
# Builds the Java package (jar and pom.xml) with jsii-pacmak, compiles examples/java with Maven against it (its
# dependencies, cdk8s at the package's peer-dependency floor, constructs and jsii-runtime, come from Maven Central as
# the generated pom.xml asks), runs each example class and checks that every manifest it writes is byte-identical to
# the TypeScript examples' manifest of the same name in dist/. The TypeScript examples run on the newer cdk8s of the
# devDependencies, so this also checks that the library gives the same manifests on the oldest cdk8s it accepts.
# Needs the jsii build (lib/ and .jsii), the TypeScript synth (dist/), Maven and a JDK (17 or newer) first.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

npx jsii-pacmak --target java --outdir "$work/package"
version=$(node -p "require('./package.json').version")
pom=$(ls "$work"/package/java/io/github/cdk8s-istio-egress/cdk8s-istio-egress/"$version"/*.pom)
jar=${pom%.pom}.jar
cdk8s_range=$(sed -n '/<artifactId>cdk8s<\/artifactId>/{n;s/ *<version>\(.*\)<\/version>/\1/p}' "$pom")
echo "built $(basename "$jar") ($(du -k "$jar" | cut -f1) KiB); its pom.xml asks for org.cdk8s:cdk8s $cdk8s_range"

# Maven keeps what it resolved in the local repository and never fetches a release again: the package's own group is
# dropped there before and after, so that the examples build against this jar and not one from an earlier run.
repo=${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}
own="$repo/io/github/cdk8s-istio-egress"
trap 'rm -rf "$work" "$own"' EXIT
rm -rf "$own"
mvn --batch-mode --quiet -Dstyle.color=never --file examples/java/pom.xml \
  -Dmaven.repo.local="$repo" \
  -Dpackage.repository="file://$work/package/java" -Dpackage.version="$version" \
  -Dexamples.output="$work/target" \
  compile dependency:build-classpath -Dmdep.outputFile="$work/classpath.txt" \
  > "$work/mvn.log" 2>&1 || { cat "$work/mvn.log" >&2; exit 1; } # Maven 3.8 prints colour codes even with --quiet
classpath="$work/target/classes:$(cat "$work/classpath.txt")"
echo "resolved $(tr ':' '\n' < "$work/classpath.txt" | grep -E '/(cdk8s|constructs|jsii-runtime)-[0-9]' | xargs -n1 basename | tr '\n' ' ')"

for example in examples/java/src/main/java/examples/*.java; do
  class=$(basename "$example" .java)
  out="$work/out/$class"
  mkdir -p "$out"
  (cd "$out" && java -cp "$classpath" "examples.$class" > /dev/null)
  bash scripts/same-manifests.sh "$out" "$example"
done
