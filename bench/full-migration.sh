#!/usr/bin/env bash
# Full-migration benchmark: DM for Java (a full task through the REST API) vs mydumper + myloader vs a
# plain parallel LOAD DATA, on the same sysbench tables, same thread count, same downstream, one run.
# Usage: bench/full-migration.sh [--gb 1] [--threads 4] [--tables 8]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
need=()
command -v mydumper >/dev/null || need+=(mydumper)
command -v sysbench >/dev/null || need+=(sysbench)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
mvn -B -q -ntp -DskipTests install
mvn -B -q -ntp -f bench/pom.xml compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
exec java -Xmx1g -Ddm.master.jar="$PWD/master-service/target/master-service-0.1.0-SNAPSHOT.jar" \
  -Ddm.worker.jar="$PWD/worker-service/target/worker-service-0.1.0-SNAPSHOT.jar" \
  -Dlogback.configurationFile="$PWD/test-support/src/main/resources/dm-playground-logback.xml" \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.dmjava.bench.FullMigrationBench "$@"
