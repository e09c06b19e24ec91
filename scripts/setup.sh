#!/usr/bin/env bash
# Sets up a fresh machine for kafka-rx development: Debian packages (kcat, librdkafka for the
# old mock broker build, compression tools for fixtures), npm packages, both mock broker builds,
# Apache Kafka's jars for the real test broker (Java 17 and Maven are installed when missing), and the
# other Node releases the suite runs on.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(kcat librdkafka-dev build-essential pkg-config zlib1g-dev libzstd-dev libssl-dev lz4 zstd openssl util-linux libcompress-snappy-perl)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "setup: installing npm packages"
# Exactly what the committed lock names. The lock lists every platform's optional packages
# (@swc/core-darwin-*, ...), as `npm install --package-lock-only` writes it, so `npm ci` takes it.
npm ci --no-audit --no-fund --loglevel=error

echo "setup: building the mock brokers"
bash test/broker/build.sh

echo "setup: fetching Apache Kafka's jars"
bash test/broker/kafka/fetch-jars.sh

echo "setup: fetching Node 22 and 24 (the suite runs on them too)"
bash scripts/node-versions.sh
