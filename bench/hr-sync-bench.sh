#!/usr/bin/env bash
# HR -> SophonSight sync benchmark (rerunnable; not part of `mvn verify`).
#   full sync of 10,000 people with ~20 KB photos at parallelism 1, 4 and 8 (each after a warm-up sync of
#   a tenth as many people, -Dbench.warmup-people), each followed by the simulator's own capacity at that
#   parallelism (the ratio full sync / capacity) and by a full sync of 2,000 people against a platform that
#   answers every call after 20 ms (the ratio to the ideal parallelism / (2 x 20 ms));
#   then a no-change full reconciliation over 100,000 people;
#   then the streaming figure: a first full sync of 100,000 people with 100 KB photo files in a JVM limited to
#   BENCH_STREAM_HEAP (256m) of heap (HrSyncMemoryBenchmark).
# bench/run.sh runs the same class at the configured parallelism, with the simulator's own capacity next to it.
# Each measurement runs in its own JVM against the built-in simulator over real HTTP.
# Results: target/bench/hr-sync-results.md (Markdown rows), also printed at the end.
# The JVM under test gets BENCH_HEAP (2g) of heap; CPU time and peak heap are of that whole JVM, which
# also runs the built-in simulator (it keeps every uploaded photo in memory).
# Options: BENCH_PEOPLE (10000), BENCH_RECONCILE_PEOPLE (100000), BENCH_PARALLELISM ("1 4 8"), BENCH_HEAP (2g),
#          BENCH_LATENCY_PEOPLE (2000), BENCH_LATENCY_MS (20), BENCH_STREAM_PEOPLE (100000), BENCH_STREAM_HEAP (256m),
#          MVN_OPTS ("-o"). The machine's other load (load average) is printed: the ratios are measured side by
#          side in one JVM, the absolute rates move with whatever else runs.
set -euo pipefail
cd "$(dirname "$0")/.."
people=${BENCH_PEOPLE:-10000}
reconcile=${BENCH_RECONCILE_PEOPLE:-100000}
levels=${BENCH_PARALLELISM:-1 4 8}
mvn_opts=${MVN_OPTS:--o}
heap=${BENCH_HEAP:-2g}
latency_people=${BENCH_LATENCY_PEOPLE:-2000}
latency_ms=${BENCH_LATENCY_MS:-20}
stream_people=${BENCH_STREAM_PEOPLE:-100000}
stream_heap=${BENCH_STREAM_HEAP:-256m}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p target/bench
{
  echo "| measurement | parallelism | wall time | rate | CPU time | peak heap |"
  echo "|---|---|---|---|---|---|"
} > target/bench/hr-sync-results.md
for p in $levels; do
  mvn -B -q $mvn_opts -Pbench test -Dbench=true -Dtest='HrSyncBenchmark#fullSync*+simulatorCapacity*' \
      -Dsurefire.failIfNoSpecifiedTests=false -Dbench.jvm.args="-Xmx$heap" -Dhr.sync.parallelism="$p" \
      -Dbench.people="$people" -Dbench.latency-people="$latency_people" -Dbench.latency-ms="$latency_ms" \
      -Dhr.sync.progress-interval=5s
done
mvn -B -q $mvn_opts -Pbench test -Dbench=true -Dtest='HrSyncBenchmark#noChange*' -Dsurefire.failIfNoSpecifiedTests=false \
    -Dbench.jvm.args="-Xmx$heap" -Dbench.reconcile-people="$reconcile"
mvn -B -q $mvn_opts -Pbench test -Dbench=true -Dtest='HrSyncMemoryBenchmark' -Dsurefire.failIfNoSpecifiedTests=false \
    -Dbench.jvm.args="-Xmx$stream_heap" -Dbench.stream-people="$stream_people" -Dhr.sync.progress-interval=10s
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
cat target/bench/hr-sync-results.md
