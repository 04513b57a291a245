#!/usr/bin/env bash
# The local playground: a DM cluster (one master with its embedded etcd, one worker), an upstream and a
# downstream MariaDB, and a demo full migration through the REST API; runs until Ctrl-C.
# Installs what is missing and builds first. Extra argument: --seconds N to stop by itself.
set -euo pipefail
cd "$(dirname "$0")"
scripts/ensure-deps.sh
mvn -B -q -ntp -DskipTests install
mvn -B -q -ntp -pl test-support dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec java -Ddm.master.jar="$PWD/master-service/target/master-service-0.1.0-SNAPSHOT.jar" \
  -Ddm.worker.jar="$PWD/worker-service/target/worker-service-0.1.0-SNAPSHOT.jar" \
  -Dlogback.configurationFile="$PWD/test-support/src/main/resources/dm-playground-logback.xml" \
  -cp "test-support/target/classes:$(cat test-support/target/classpath.txt)" \
  io.dmjava.testsupport.service.Playground "$@"
