#!/usr/bin/env bash
# HR -> SophonSight sync benchmark (rerunnable; not part of `mvn verify`).
#   full sync of 10,000 people with ~20 KB photos at parallelism 1, 4 and 8 (each after a warm-up sync of
#   a tenth as many people, -Dbench.warmup-people), then a no-change full reconciliation over 100,000 people.
# bench/run.sh runs the same class at the configured parallelism, with the simulator's own capacity next to it.
# Each measurement runs in its own JVM against the built-in simulator over real HTTP.
# Results: target/bench/hr-sync-results.md (Markdown rows), also printed at the end.
# The JVM under test gets BENCH_HEAP (2g) of heap; CPU time and peak heap are of that whole JVM, which
# also runs the built-in simulator (it keeps every uploaded photo in memory).
# Options: BENCH_PEOPLE (10000), BENCH_RECONCILE_PEOPLE (100000), BENCH_PARALLELISM ("1 4 8"), BENCH_HEAP (2g),
#          MVN_OPTS ("-o").
set -euo pipefail
cd "$(dirname "$0")/.."
people=${BENCH_PEOPLE:-10000}
reconcile=${BENCH_RECONCILE_PEOPLE:-100000}
levels=${BENCH_PARALLELISM:-1 4 8}
mvn_opts=${MVN_OPTS:--o}
heap=${BENCH_HEAP:-2g}
mkdir -p target/bench
{
  echo "| measurement | parallelism | wall time | rate | CPU time | peak heap |"
  echo "|---|---|---|---|---|---|"
} > target/bench/hr-sync-results.md
for p in $levels; do
  mvn -B -q $mvn_opts test -Dbench=true -Dtest='HrSyncBenchmark#fullSync*' -Dsurefire.failIfNoSpecifiedTests=false -DargLine="-Xmx$heap" \
      -Dhr.sync.parallelism="$p" -Dbench.people="$people" -Dhr.sync.progress-interval=5s
done
mvn -B -q $mvn_opts test -Dbench=true -Dtest='HrSyncBenchmark#noChange*' -Dsurefire.failIfNoSpecifiedTests=false -DargLine="-Xmx$heap" \
    -Dbench.reconcile-people="$reconcile"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
cat target/bench/hr-sync-results.md
