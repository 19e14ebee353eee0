#!/usr/bin/env bash
# Issue 20's stall: pg_partman's maintenance against a 20 s report, CALL partman.run_maintenance_proc()
# (the pack's old job) and CALL <schema>.partman_maintenance(...) (the job schedulePartmanMaintenance
# makes, with the pack's 200ms / 5 minutes) side by side, each on a fresh copy of the same table set,
# on the test cluster (scripts/testdb, started when it is not running; PARTMAN_TEST_BED=<bed> picks
# the bed). Prints the application's p50/p99/longest wait, when maintenance completed relative to
# the report's end, and the partitions before/after. See MaintenanceStallBenchmark.
#
#   bench/maintenance-stall.sh                     one run of each
#   bench/maintenance-stall.sh --repeat 3          medians of three runs (what README shows)
#   bench/maintenance-stall.sh --premake-due 1     also a partition to create next to the DEFAULT (a month turned)
#   options: --rows N (200000)  --report-s S (20)  --start-after-s S (1)  --pace-ms N (50)
#            --lock-timeout T (200ms)  --retry-for I (5min; no spaces)  --wait-s S (60: a call still
#            running this long after the report's end is cancelled)
exec "$(dirname "$0")/run-benchmark.sh" MaintenanceStallBenchmark "$@"
