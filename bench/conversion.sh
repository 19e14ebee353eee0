#!/usr/bin/env bash
# Turns the same plain table into a pg_partman-managed partitioned table three ways on the test
# cluster (scripts/testdb, started when it is not running; PARTMAN_TEST_BED=<bed> picks the bed) and
# prints, side by side, the times, their ratio to the floor, a concurrent writer's and reader's
# latencies, refused writes, missed rows, transactions and peak memory. See ConversionBenchmark.
#
#   bench/conversion.sh                              5,000,000 rows over a year, monthly partitions
#   bench/conversion.sh --mode day                   5,000,000 rows in one day, daily partitions
#   bench/conversion.sh --mode both --repeat 3       both, medians of three runs
#   options: --rows N  --batch-size N (partitionExistingTable's batchSize)  --scenarios c,a,b  --pace-ms N
exec "$(dirname "$0")/run-benchmark.sh" ConversionBenchmark "$@"
