#!/usr/bin/env bash
# The local playground: a DM cluster (one master with its embedded etcd, one worker), an upstream and a
# downstream MariaDB, and a demo replication task (mode all: dump, load, then the binlog) created through the
# REST API while a writer keeps changing the upstream; prints the task's status every few seconds.
# Ctrl-C (or --seconds N) stops the writer, waits until the task has applied everything, compares the tables
# up and down, and cleans up; the exit status is 0 when they are identical.
# Installs what is missing and builds first (into target/ only: nothing is installed into ~/.m2).
set -euo pipefail
cd "$(dirname "$0")"
scripts/ensure-deps.sh
mvn -B -q -ntp -DskipTests package
mvn -B -q -ntp -pl test-support dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
# Its own session: Ctrl-C in the terminal reaches this script only, not the cluster and the databases, so they
# keep running while the playground finishes: the script passes it on to the playground alone, as SIGTERM
# (a background job of a script starts with SIGINT ignored, and the JVM cannot handle an ignored signal).
setsid java -Ddm.master.jar="$PWD/master-service/target/master-service-0.1.0-SNAPSHOT.jar" \
  -Ddm.worker.jar="$PWD/worker-service/target/worker-service-0.1.0-SNAPSHOT.jar" \
  -Dlogback.configurationFile="$PWD/test-support/src/main/resources/dm-playground-logback.xml" \
  -cp "test-support/target/classes:$(cat test-support/target/classpath.txt)" \
  io.dmjava.testsupport.service.Playground "$@" &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null || true' INT TERM HUP
rc=0
while :; do
  wait "$pid" && rc=0 || rc=$?
  kill -0 "$pid" 2>/dev/null || break
done
exit "$rc"
