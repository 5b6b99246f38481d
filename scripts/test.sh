#!/usr/bin/env bash
# The project's test command: does its own set-up, then runs every unit test and *IT.
# Kafka and PostgreSQL: the tests start real ones themselves (or use KAFKA_BOOTSTRAP_SERVERS +
# DB_URL when both are set, or Testcontainers when a Docker engine answers).
# Extra arguments go to Maven, e.g. scripts/test.sh -pl nin-core -am
set -euo pipefail
source "$(dirname "$0")/lib/env.sh"
cd "$NIN_ROOT"

command -v java >/dev/null || nin_die "java not found: install a JDK 17 (apt-get install -y openjdk-17-jdk-headless)"
command -v mvn >/dev/null || nin_die "mvn not found: install Maven (apt-get install -y maven)"

scripts/dataset.sh --verify
# deploy's DeploymentManifestsTest renders k8s/ with kubectl kustomize and validates with Node.js
source "$NIN_ROOT/scripts/lib/tools.sh"
need_tool kubectl kubectl kubernetes-client
need_tool node nodejs
need_tool npm npm
# trainer-service's DashboardBrowserIT drives Debian's headless Chromium
need_tool chromium chromium
need_tool chromedriver chromium-driver

start=$(date +%s)
mvn -B -ntp verify "$@"
nin_log "test suite finished in $(( $(date +%s) - start )) s"
