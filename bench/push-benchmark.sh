#!/usr/bin/env bash
# Benchmark of the push receivers against a plain JDK HTTP server doing the same JSON parse and one
# committed insert into the same database (see docs/benchmarks.md, "Push ingest").
# Options (system properties): -Dbench.seconds=10 -Dbench.warmup-seconds=8 -Dbench.threads=8 -Dbench.rate=200
#   -Dbench.jit-quiet-ms=200 -Dbench.max-warmup-rounds=20 (warm-up rounds until a round adds less JIT time than that)
#   -Dbench.scenarios=small,rate,images (a subset to run; default all three)
# Result: target/bench/push-benchmark.md (also printed), with acknowledged events and new rows per measurement:
#   a run in which they differ is reported as INVALID RUN and fails.
# The benchmark's data folder (target/bench-data: H2 files, photos, broker journal; GBs per run) is
# deleted when the script ends, also when the run fails or is interrupted.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf target/bench-data
trap 'rm -rf target/bench-data' EXIT
trap 'exit 130' INT TERM
status=0
mvn -B -q -o -Pbench test -Dtest=PushIngestBenchmark "$@" || status=$?
# the report also when the run failed: an INVALID RUN line names the measurements whose acknowledged events
# are not all new rows (duplicates are answered SUCCESS too)
if [ -f target/bench/push-benchmark.md ]; then cat target/bench/push-benchmark.md; fi
exit $status
