#!/usr/bin/env bash
# Debian packages chainkg needs on a fresh machine: Java 17 and Maven (the local Neo4j), Graphviz
# (dot lays out the chain maps),
# and with --browser, Chromium and CJK fonts (report and Browser checks in headless Chromium).
# Installs only what is missing; needs root (or sudo) only when something is missing.
set -euo pipefail
want=()
java_ok() {
  local j="${JAVA_HOME:+$JAVA_HOME/bin/}java"
  command -v "$j" >/dev/null 2>&1 || return 1
  "$j" -version 2>&1 | grep -qE 'version "(17|21)[."]'
}
java_ok || want+=(openjdk-17-jre-headless)
command -v mvn >/dev/null 2>&1 || want+=(maven)
command -v dot >/dev/null 2>&1 || want+=(graphviz)  # dot lays out the chain maps (report and explorer)
if [[ "${1:-}" == "--browser" ]]; then
  command -v chromium >/dev/null 2>&1 || want+=(chromium)
  dpkg -s fonts-noto-cjk >/dev/null 2>&1 || want+=(fonts-noto-cjk)
fi
if ((${#want[@]})); then
  echo "setup-system: installing ${want[*]}" >&2
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
fi
