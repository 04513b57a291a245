#!/usr/bin/env bash
# Incremental replication benchmark: DM for Java's sync unit vs native MariaDB parallel replication catching up
# on the same sysbench binlog (oltp_write_only, then oltp_insert, at full speed), then the sync unit's lag
# under oltp_write_only at half the upstream's max rate. One upstream, two downstreams, all on 127.0.0.1.
# Usage: bench/replication.sh [--seconds 60] [--threads 4] [--tables 8] [--table-size 100000]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
if ! command -v sysbench >/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq sysbench >/dev/null
fi
# The sync unit runs as worker-service's SyncMain (a test class) in its own JVM, so this builds worker-service
# with its tests' classpath inside the reactor (no install into ~/.m2), and compiles the bench against it.
cp_file="$PWD/bench/target/replication-classpath.txt"
mkdir -p bench/target
mvn -B -q -ntp -Dstyle.color=never -DskipTests -pl worker-service -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test
cp="$PWD/worker-service/target/test-classes:$PWD/worker-service/target/classes:$(cat "$cp_file")"
out=bench/target/replication-classes
rm -rf "$out" && mkdir -p "$out"
javac -nowarn -d "$out" -cp "$cp" -sourcepath bench/src/main/java bench/src/main/java/io/dmjava/bench/ReplicationBench.java
seconds=60
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do [ "${args[$i]}" = "--seconds" ] && seconds="${args[$((i + 1))]:-60}"; done
# Bounded: three loads, two catch-ups and the checks; on expiry SIGTERM lets the JVM kill its servers and children.
limit=$((1800 + 40 * seconds))
exec timeout -k 60 "$limit" java -Xmx512m \
  -Dlogback.configurationFile="$PWD/test-support/src/main/resources/dm-playground-logback.xml" \
  -cp "$out:$cp" io.dmjava.bench.ReplicationBench "$@"
