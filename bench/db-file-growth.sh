#!/usr/bin/env bash
# Size of the embedded database file (gateway.mv.db) under a steady push load: the packaged gateway on its
# embedded defaults, 50 pushes/s (each with two 20 KB photos), the size every 30 s (see docs/benchmarks.md).
# Options (system properties): -Dbench.db.minutes=30 -Dbench.db.rate=50 -Dbench.db.image-kb=20
#   -Dbench.db.sample-seconds=30 -Dbench.db.compaction=false (the periodic H2 compaction off, for comparison)
# Result: target/bench/db-file-growth.md (the curve; also printed), copied to bench/results/db-file-growth.md.
set -euo pipefail
cd "$(dirname "$0")/.."
trap 'rm -rf target/bench-data' EXIT
trap 'exit 130' INT TERM
mvn -B -q package -DskipTests  # the jar the benchmark starts, with the code as it is now
mvn -B -q -Pbench test -Dbench=true -Dtest=DatabaseFileGrowthBenchmark "$@"
mkdir -p bench/results
cp target/bench/db-file-growth.md bench/results/db-file-growth.md
cat target/bench/db-file-growth.md
