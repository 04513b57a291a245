#!/usr/bin/env bash
# The chaos test for as long as asked: 3 masters, 3 workers, 2 upstream MariaDB, 1 downstream, writes and DDL on
# both sources, random faults (SIGKILL/SIGSTOP of workers, SIGKILL of the leader or a follower master, downstream
# restarts, KILL of the binlog dump threads), then stop, catch up and compare every table (docs/ha.md).
# It runs e2e-tests' ChaosE2ETest (8 faults in the normal test suite) with more faults or minutes.
#
#   scripts/chaos.sh --faults 100            # 100 faults (about 30-60 minutes on 2 cores)
#   scripts/chaos.sh --minutes 30            # faults until 30 minutes have passed
#   scripts/chaos.sh --faults 10 --seed 42   # the same choices as an earlier run (its seed is printed first)
#
# Progress (each fault, then the summary) goes to e2e-tests/target/chaos-progress.log as it happens (tail -f it)
# and is printed at the end; the processes' logs are copied to e2e-tests/target/chaos-logs.
# Exit status 0 when every table matched and every subtask runs.
set -euo pipefail
cd "$(dirname "$0")/.."

props=()
while [ $# -gt 0 ]; do
  case "$1" in
    --faults) props+=("-Dchaos.faults=$2"); shift 2 ;;
    --minutes) props+=("-Dchaos.minutes=$2"); shift 2 ;;
    --seed) props+=("-Dchaos.seed=$2"); shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ ${#props[@]} -gt 0 ] || props+=("-Dchaos.faults=100")

scripts/ensure-deps.sh
out=e2e-tests/target/chaos-progress.log
rm -f "$out"
echo "progress: tail -f $out"
status=0
mvn -B -ntp -pl master-service,worker-service,e2e-tests -am verify -Dtest=ChaosE2ETest \
  -Dsurefire.failIfNoSpecifiedTests=false "${props[@]}" || status=$?
[ -f "$out" ] && cat "$out"

exit $status
