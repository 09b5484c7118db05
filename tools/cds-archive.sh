#!/bin/sh
# Writes ARCHIVE, a class data sharing archive (AppCDS, JDK 17's -XX:ArchiveClassesAtExit) of the
# classes an idle broker of JAR loads, which bin/courier maps instead of parsing those classes again
# (docs/FOOTPRINT.md, "Idle broker": 3.2 MiB less idle RSS). The build runs it after the fat jar
# is made. It starts a broker with every listener on a free port (port 0, loopback, a temporary
# data dir), waits for its last listener, and stops it with SIGTERM; the JVM writes the archive on
# its way out. A broker that fails to start leaves no archive and the build goes on: bin/courier
# runs without one.
#   tools/cds-archive.sh target/courier.jar target/courier.jsa
set -u
jar=$1; archive=$2
root=$(cd "$(dirname "$0")/.." && pwd)
opts=$(cat "$root/src/main/resources/dev/courier/bench/broker-jvm.options")
work=$(mktemp -d "${TMPDIR:-/tmp}/courier-cds-XXXXXX")
: > "$work/log"
rm -f "$archive" "$archive.tmp"
# shellcheck disable=SC2086 # the options are words
java $opts -XX:ArchiveClassesAtExit="$archive.tmp" '-Xlog:cds*=off' -jar "$jar" broker --host 127.0.0.1 --port 0 \
  --set data_dir="$work/data" --set http_host=127.0.0.1 --set http_port=0 --set stomp_port=0 > "$work/log" 2>&1 &
pid=$!
tries=0
# The HTTP listener starts last; up to 60 s on a loaded machine.
while ! grep -q "HTTP API" "$work/log" && kill -0 "$pid" 2>/dev/null && [ $tries -lt 600 ]; do
  sleep 0.1; tries=$((tries + 1))
done
kill -TERM "$pid" 2>/dev/null
wait "$pid"; rc=$?
if [ $rc -eq 0 ] && grep -q "HTTP API" "$work/log" && [ -s "$archive.tmp" ]; then
  mv "$archive.tmp" "$archive"
  echo "cds-archive: wrote $archive"
else
  rm -f "$archive.tmp"
  echo "cds-archive: no archive (broker exit $rc); bin/courier runs without one. Its output:"
  cat "$work/log"
fi
rm -rf "$work"
exit 0
