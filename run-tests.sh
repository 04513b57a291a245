#!/usr/bin/env bash
# Runs every test: unit tests, real-etcd/real-MariaDB integration tests and the end-to-end tests that
# start masters and workers as separate processes. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")"
scripts/ensure-deps.sh
# -Pimages: also builds the master and worker container images, which deploy-tests then run.
exec mvn -B -ntp -Pimages verify "$@"
