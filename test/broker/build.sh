#!/usr/bin/env bash
# Builds the two mock-broker binaries the tests run against, into
# .cache/mock-broker/{new,old}/. Anything already built and newer than
# mock-broker.c is kept, so a second run does nothing.
#
#   new: librdkafka 2.12 from the sources shipped in node-rdkafka@3.6.1
#        (flexible protocol versions). Its librdkafka.so.1 is kept in
#        new/lib so kcat can also run as a 2.12 client (LD_LIBRARY_PATH).
#   old: Debian's librdkafka-dev 2.0.2 (non-flexible versions only).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cache="$root/.cache/mock-broker"
src="$here/mock-broker.c"
node_rdkafka="node-rdkafka@3.6.1"

mkdir -p "$cache"
# Jest workers or parallel CI steps may call us at once; build only once.
exec 9>"$cache/.lock"
flock 9

log() { echo "mock-broker build: $*" >&2; }

ensure_apt_packages() {
  local missing=()
  for pkg in build-essential pkg-config librdkafka-dev kcat zlib1g-dev libzstd-dev; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
      missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # The package lists are usually fresh enough; refresh only on failure.
  if ! apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1; then
    apt-get update -qq >/dev/null
    apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# Feature macros from the header itself rather than version numbers: the
# mock API grew function by function across releases.
feature_flags() {
  local header="$1" flags=""
  grep -q 'rd_kafka_mock_start_request_tracking' "$header" && flags+=" -DHAVE_REQUEST_TRACKING"
  grep -q 'rd_kafka_mock_group_initial_rebalance_delay_ms' "$header" && flags+=" -DHAVE_REBALANCE_DELAY"
  grep -q 'rd_kafka_mock_set_group_consumer_session_timeout_ms' "$header" &&
    grep -q 'rd_kafka_mock_set_group_consumer_heartbeat_interval_ms' "$header" &&
    flags+=" -DHAVE_CONSUMER_GROUP_TIMEOUTS"
  echo "$flags"
}

up_to_date() { [ -x "$1" ] && [ "$1" -nt "$src" ]; }

build_old() {
  local out="$cache/old/mock-broker"
  up_to_date "$out" && return 0
  log "building old (Debian librdkafka)"
  mkdir -p "$cache/old"
  # shellcheck disable=SC2046
  gcc -O2 -Wall -std=gnu11 $(feature_flags /usr/include/librdkafka/rdkafka_mock.h) \
    -o "$out.tmp" "$src" -lrdkafka
  mv "$out.tmp" "$out"
}

fetch_and_build_librdkafka() {
  local dest="$cache/new"
  [ -f "$dest/lib/librdkafka.so.1" ] && [ -f "$dest/include/librdkafka/rdkafka_mock.h" ] && return 0
  log "building librdkafka from $node_rdkafka (about 30 s)"
  local tmp
  tmp="$(mktemp -d)"
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" RETURN
  (cd "$tmp" && npm pack --silent "$node_rdkafka" >/dev/null && tar xzf node-rdkafka-*.tgz)
  local lib="$tmp/package/deps/librdkafka"
  # Only what a broker and a kcat client need: no TLS, SASL or HTTP; zlib,
  # zstd, and the bundled lz4/snappy so every codec works.
  (cd "$lib" && ./configure --disable-ssl --disable-gssapi --disable-curl \
    --enable-zstd --enable-zlib --disable-lz4-ext --disable-regex-ext \
    --disable-syslog >"$tmp/configure.log" 2>&1) ||
    { cat "$tmp/configure.log" >&2; return 1; }
  make -C "$lib/src" -j2 librdkafka.so.1 >"$tmp/make.log" 2>&1 ||
    { tail -40 "$tmp/make.log" >&2; return 1; }
  mkdir -p "$dest/lib" "$dest/include/librdkafka"
  cp "$lib/src/librdkafka.so.1" "$dest/lib/"
  ln -sf librdkafka.so.1 "$dest/lib/librdkafka.so"
  cp "$lib/src/rdkafka.h" "$lib/src/rdkafka_mock.h" "$dest/include/librdkafka/"
}

build_new() {
  local out="$cache/new/mock-broker"
  fetch_and_build_librdkafka
  up_to_date "$out" && return 0
  log "building new (librdkafka 2.12)"
  # shellcheck disable=SC2046
  gcc -O2 -Wall -std=gnu11 -I"$cache/new/include" \
    $(feature_flags "$cache/new/include/librdkafka/rdkafka_mock.h") \
    -o "$out.tmp" "$src" -L"$cache/new/lib" -lrdkafka -Wl,-rpath,'$ORIGIN/lib'
  mv "$out.tmp" "$out"
}

ensure_apt_packages
build_old
build_new
