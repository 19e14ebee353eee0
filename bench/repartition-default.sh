#!/usr/bin/env bash
# Moves the same rows out of a DEFAULT partition several ways on the test cluster (scripts/testdb,
# started when it is not running; PARTMAN_TEST_BED=<bed> picks the bed) and prints, side by side,
# the times, their ratio to the floor, the latencies of a concurrent reader and writer, peak memory
# and transactions. See RepartitionDefaultBenchmark for what each does.
#
#   bench/repartition-default.sh                                 1,000,000 rows over 60 days
#   bench/repartition-default.sh --mode huge                     5,000,000 rows in one day (a date column; --control timestamptz)
#   bench/repartition-default.sh --mode both --repeat 3          both, medians of three runs (what docs/benchmarks.md shows)
#   bench/repartition-default.sh --live true                     an application writing into the moving days
#   bench/repartition-default.sh --maintenance true              run_maintenance_proc() every 0.2 s
#   bench/repartition-default.sh --repeat 3                      medians of three runs
#   bench/repartition-default.sh --rows 300000 --days 60,365,1000,3000 --scenarios c,a,m   the ranges dimension
#                                          (m: the control, what one new partition costs the reader at that count)
#   bench/repartition-default.sh --rows 300000 --days 60,365,1000,3000 --scenarios c,a,m --pace-ms 5 --reader-pace-ms 50
#                                          the same at issue 26's load: 200 writes and 20 reads a second
#   options: --rows N  --days N  --batch-size N (repartitionDefault's batchSize)  --scenarios c,a,b,async,b',m
#            --async-interval I (partition_data_async's p_interval, default 1 hour)
#            --timeout-s N (a method that takes longer fails)
exec "$(dirname "$0")/run-benchmark.sh" RepartitionDefaultBenchmark "$@"
