#!/usr/bin/env bash
# Benchmark of the push receivers against a plain JDK HTTP server doing the same JSON parse and one
# committed insert into the same database (see README, "Push receivers" -> Benchmark).
# Options (system properties): -Dbench.seconds=10 -Dbench.warmup-seconds=3 -Dbench.threads=8 -Dbench.rate=200
# Result: target/bench/push-benchmark.md (also printed).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -Pbench test "$@"
cat target/bench/push-benchmark.md
