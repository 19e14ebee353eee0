#!/usr/bin/env bash
# Runs a benchmark's main class (liquibase.ext.partman.bench.<CLASS>) with the test classpath on
# the test cluster (scripts/testdb, started when PARTMAN_TEST_JDBC_URL is not set;
# PARTMAN_TEST_BED=<bed> picks the bed). The scripts next to it call it; their comments say what
# each measures.
#
#   bench/run-benchmark.sh CLASS [--option value]...
set -euo pipefail
cd "$(dirname "$0")/.."
main_class=$1
shift

if [[ -z "${PARTMAN_TEST_JDBC_URL:-}" ]]; then
    eval "$(scripts/testdb ${PARTMAN_TEST_BED:+--bed "$PARTMAN_TEST_BED"} start)"
fi
exec mvn -B -q test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
    -Dexec.classpathScope=test \
    -Dexec.mainClass="liquibase.ext.partman.bench.${main_class}" \
    -Dexec.args="$*"
