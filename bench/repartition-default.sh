#!/usr/bin/env bash
# Moves the same rows out of a DEFAULT partition four ways on the test cluster (scripts/testdb,
# started when it is not running) and prints the times, their ratio to the floor, and the
# latencies of a concurrent reader and writer. See RepartitionDefaultBenchmark for what each does.
#
#   bench/repartition-default.sh                      1,000,000 rows over 60 days (about a minute on 2 cores)
#   bench/repartition-default.sh --rows 100000        a quick run
#   options: --rows N  --days N  --batch-size N (repartitionDefault's batchSize; default its own)
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${PARTMAN_TEST_JDBC_URL:-}" ]]; then
    eval "$(scripts/testdb start)"
fi
exec mvn -B -q test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
    -Dexec.classpathScope=test \
    -Dexec.mainClass=liquibase.ext.partman.bench.RepartitionDefaultBenchmark \
    -Dexec.args="$*"
