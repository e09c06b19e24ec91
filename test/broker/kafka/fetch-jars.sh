#!/usr/bin/env bash
# Copies Apache Kafka's jars (pom.xml here) and their runtime dependencies into
# .cache/kafka/<version>/libs. A stamp written after a complete copy makes reruns free;
# a copy cut short leaves no stamp and is redone.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/pom.xml")"
dest="$root/.cache/kafka/$version"
stamp="$dest/complete"

if [ -f "$stamp" ] && cmp -s "$stamp" "$here/pom.xml"; then
  exit 0
fi

sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
install() {
  echo "kafka: installing $1"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "$1" >/dev/null
}
java -version >/dev/null 2>&1 || install openjdk-17-jre-headless
command -v mvn >/dev/null 2>&1 || install maven

echo "kafka: copying Kafka $version jars into $dest/libs"
rm -rf "$dest/libs.partial"
mkdir -p "$dest"
mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$dest/libs.partial"
rm -rf "$dest/libs"
mv "$dest/libs.partial" "$dest/libs"
# The stamp is the pom it was made from: editing the pom refetches.
cp "$here/pom.xml" "$stamp"
