#!/usr/bin/env bash
# Installs what building, testing and running DM for Java needs, when it is missing. Safe to re-run.
# On Debian/Ubuntu it uses apt (as root, or through sudo); elsewhere it says what to install.
set -euo pipefail

need=()
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/local/sbin/$1" ]; }

java_ok() {
  have java || return 1
  local v
  v=$(java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')
  [ "${v%%.*}" -ge 17 ] 2>/dev/null
}

java_ok || need+=(openjdk-17-jdk-headless)
have mvn || need+=(maven)
have etcd || need+=(etcd-server)
have mariadbd || need+=(mariadb-server)
have mariadb || need+=(mariadb-client)
have setpriv || need+=(util-linux)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)   # promtool: checks and unit-tests grafana/alerts

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

if ! have apt-get; then
  echo "Missing: ${need[*]} (Debian package names). Install the equivalents with your package manager:" >&2
  echo "  Java 17+ JDK, Maven 3.8+, etcd 3.4+ (etcd binary on PATH), MariaDB 10.6+ server and client." >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if have sudo; then SUDO=sudo; else
    echo "Missing: ${need[*]}; run as root or install them: apt-get install -y ${need[*]}" >&2
    exit 1
  fi
fi

echo "Installing missing packages: ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null

# We only need the etcd binary: the masters run their own members. A distro service left running
# would hold 2379/2380, DM's default ports.
if [[ " ${need[*]} " == *" etcd-server "* ]] && have systemctl && systemctl is-active --quiet etcd 2>/dev/null; then
  echo "Stopping and disabling the distribution's etcd service (the masters embed their own etcd)."
  $SUDO systemctl disable --now etcd >/dev/null 2>&1 || true
fi

# Likewise we only need promtool from the prometheus package: do not leave its Prometheus server (9090)
# or the node exporter it recommends (9100) running.
if [[ " ${need[*]} " == *" prometheus "* ]] && have systemctl; then
  for svc in prometheus prometheus-node-exporter; do
    if systemctl is-active --quiet "$svc" 2>/dev/null || systemctl is-enabled --quiet "$svc" 2>/dev/null; then
      echo "Stopping and disabling the distribution's $svc service (only promtool is used)."
      $SUDO systemctl disable --now "$svc" >/dev/null 2>&1 || true
    fi
  done
fi
