#!/usr/bin/env bash
# Every benchmark of the gateway, one command: bench/results/latest.md (table + machine) and latest.png (chart).
#
#   bench/run.sh            full run (~70 min on 2 cores): push 10 s per measurement (H2, and PostgreSQL when one
#                           runs on localhost:5432), HR 10,000 people, no-change reconciliation of 100,000 people,
#                           3 starts, 30 minutes of 50 pushes/s watching the embedded database file
#   bench/run.sh --quick    validation run (~8-10 min): short push measurements, HR 1,000 people,
#                           reconciliation of 10,000 people, 1 start, 3 minutes of pushes. Figures indicative only.
# While a part runs, a line every 30 s shows the part (n/N), its latest step, elapsed time and the expected rest.
#   --readme                also write the table into docs/benchmarks.md (block bench-results; the chart is linked)
#
# Builds once (mvn package -DskipTests: the jar the start-up benchmark runs), then runs each benchmark
# class under the Maven profile `bench` in a JVM of its own, on free ports, with a fresh data folder that
# is deleted when the part ends (also on failure or Ctrl-C). A part that fails is reported as not measured
# and the script exits 1 after writing the report.
# Parts: push (PushIngestBenchmark), push-postgres (the same, -Ppostgres, small events), hr-sync (HrSyncBenchmark:
#        full sync, then the simulator's capacity, then a full sync against a platform answering after 20 ms),
#        hr-reconcile (HrSyncBenchmark: no-change reconciliation), hr-stream (HrSyncMemoryBenchmark: 100,000 people
#        with 100 KB photo files in a 256 MB heap), startup (StartupBenchmark),
#        db-file (DatabaseFileGrowthBenchmark: size of gateway.mv.db under 50 pushes/s, every 30 s).
# Options (environment): MVN_OPTS (e.g. -o, offline), BENCH_PARTS ("push hr-sync hr-reconcile hr-stream startup db-file"),
#        BENCH_DB_MINUTES, BENCH_PEOPLE, BENCH_RECONCILE_PEOPLE, BENCH_LATENCY_PEOPLE, BENCH_STREAM_PEOPLE, BENCH_PUSH_SECONDS, BENCH_PUSH_WARMUP_SECONDS, BENCH_STARTS,
#        BENCH_HR_HEAP (2g: heap of the HR benchmark JVMs, which also hold the simulator's photos).
set -uo pipefail
cd "$(dirname "$0")/.."

mode=full
readme=""
for arg in "$@"; do
  case "$arg" in
    --quick) mode=quick ;;
    --readme) readme=docs/benchmarks.md ;;
    *) echo "usage: bench/run.sh [--quick] [--readme]" >&2; exit 2 ;;
  esac
done
# other load on the machine, before anything of ours runs
load1=$(cut -d' ' -f1 /proc/loadavg)
started=$(date +%s)
started_at=$(date -u '+%Y-%m-%d %H:%M UTC')
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[[ -n $(git status --porcelain --untracked-files=no 2>/dev/null) ]] && commit="$commit (with uncommitted changes)"

if [[ $mode == quick ]]; then
  people=${BENCH_PEOPLE:-1000}; reconcile=${BENCH_RECONCILE_PEOPLE:-10000}; starts=${BENCH_STARTS:-1}
  latency_people=${BENCH_LATENCY_PEOPLE:-500}; stream=${BENCH_STREAM_PEOPLE:-10000}
  push_seconds=${BENCH_PUSH_SECONDS:-3}; push_warmup=${BENCH_PUSH_WARMUP_SECONDS:-4}; idle_settle=35
  db_minutes=${BENCH_DB_MINUTES:-3}
else
  db_minutes=${BENCH_DB_MINUTES:-30}
  people=${BENCH_PEOPLE:-10000}; reconcile=${BENCH_RECONCILE_PEOPLE:-100000}; starts=${BENCH_STARTS:-3}
  latency_people=${BENCH_LATENCY_PEOPLE:-2000}; stream=${BENCH_STREAM_PEOPLE:-100000}
  push_seconds=${BENCH_PUSH_SECONDS:-10}; push_warmup=${BENCH_PUSH_WARMUP_SECONDS:-8}; idle_settle=45
fi
# push-postgres (the push benchmark on PostgreSQL) joins when one answers on localhost:5432 (db gateway_test,
# user/password gateway, as mvn -Ppostgres expects)
default_parts="push hr-sync hr-reconcile hr-stream startup db-file"
(exec 3<>/dev/tcp/localhost/5432) 2>/dev/null && default_parts="push push-postgres hr-sync hr-reconcile hr-stream startup db-file"
parts=${BENCH_PARTS:-$default_parts}
hr_heap=${BENCH_HR_HEAP:-2g}
mvn_opts=${MVN_OPTS:-}
out=target/bench
# where the benchmark JVMs put their data folders: the tests' default, and the benchmarks' own folder
# (system property gateway.test.data-root) where the bench profile sets one
data_roots="target/test-data target/bench-data"

mkdir -p "$out"
rm -f "$out/metrics.tsv" "$out/push-benchmark.md" "$out/push-benchmark-postgresql.md" "$out/db-file-growth.md" \
    "$out/hr-sync-results.md" "$out/machine.properties"

echo "== build (mvn package -DskipTests)"
mvn -B -q $mvn_opts package -DskipTests || { echo "build failed" >&2; exit 1; }

# the data folders a part created (<data root>/<name>-*), deleted when it ends, whatever the outcome
existing=""
cleanup() {
  local root entry
  for root in $data_roots; do
    for entry in "$root"/*; do
      [[ -e $entry ]] || continue
      grep -qxF "$entry" <<<"$existing" || rm -rf -- "$entry"
    done
  done
}
trap 'cleanup; exit 130' INT TERM

# expected seconds per part on an idle 2-core machine (for the progress line; a loaded machine takes longer)
declare -A expected
if [[ $mode == quick ]]; then
  expected=([push]=150 [push-postgres]=150 [hr-sync]=120 [hr-reconcile]=60 [hr-stream]=120 [startup]=120 [db-file]=$(( db_minutes * 60 + 90 )))
else
  expected=([push]=420 [push-postgres]=420 [hr-sync]=300 [hr-reconcile]=200 [hr-stream]=600 [startup]=300 [db-file]=$(( db_minutes * 60 + 90 )))
fi
selected=()
for name in push push-postgres hr-sync hr-reconcile hr-stream startup db-file; do
  [[ " $parts " == *" $name "* ]] && selected+=("$name")
done
remaining_expected() { # expected seconds of the parts after $1
  local after=0 total=0 name
  for name in "${selected[@]}"; do
    (( after )) && total=$(( total + expected[$name] ))
    [[ $name == "$1" ]] && after=1
  done
  echo "$total"
}
mmss() { printf '%d:%02d' $(( $1 / 60 )) $(( $1 % 60 )); }
# every 30 s while a part runs: part n/N, its latest step (the last line the benchmark appended to
# target/bench/progress.log, BenchMetrics.progress), elapsed, expected remaining for the part and for the whole run
progress() {
  local name=$1 index=$2 t0=$3 now spent left step
  while sleep 30; do
    now=$(date +%s); spent=$(( now - t0 ))
    left=$(( expected[$name] - spent )); (( left < 0 )) && left=0
    step=$(tail -1 "$out/progress.log" 2>/dev/null | sed 's/^step: //' | cut -c1-100)
    echo "   [$name $index/${#selected[@]}] ${step:-running} | elapsed $(mmss "$spent") (run $(mmss $(( now - started )))) |" \
         "expected remaining ~$(mmss "$left") in this part, ~$(mmss $(( left + $(remaining_expected "$name") ))) in all"
  done
}

failed=()
timings=()
part() {
  local name=$1; shift
  [[ " $parts " == *" $name "* ]] || return 0
  local index=1 n
  for n in "${selected[@]}"; do [[ $n == "$name" ]] && break; index=$(( index + 1 )); done
  echo "== $name ($index/${#selected[@]}, expected ~$(mmss "${expected[$name]}") on an idle machine)"
  existing=$(for root in $data_roots; do ls -d "$root"/* 2>/dev/null; done || true)
  local t0=$(date +%s)
  rm -f "$out/progress.log"
  progress "$name" "$index" "$t0" &
  local ticker=$!
  if ! mvn -B -q $mvn_opts -Pbench test "$@"; then
    failed+=("$name")
    echo "!! $name failed: see target/surefire-reports" >&2
  fi
  kill "$ticker" 2>/dev/null; wait "$ticker" 2>/dev/null
  cleanup
  timings+=("$name $(( $(date +%s) - t0 )) s")
}

part push -Dtest=PushIngestBenchmark -Dbench.seconds="$push_seconds" -Dbench.warmup-seconds="$push_warmup"
[[ -f $out/push-benchmark.md ]] && cat "$out/push-benchmark.md"
part push-postgres -Ppostgres -Dtest=PushIngestBenchmark -Dbench.seconds="$push_seconds" \
    -Dbench.warmup-seconds="$push_warmup" -Dbench.scenarios=small
[[ -f $out/push-benchmark-postgresql.md ]] && cat "$out/push-benchmark-postgresql.md"
part hr-sync -Dbench=true -Dtest='HrSyncBenchmark#fullSync*+simulatorCapacity*' -Dbench.people="$people" \
    -Dbench.latency-people="$latency_people" -Dbench.jvm.args="-Xmx$hr_heap" -Dhr.sync.progress-interval=5s
part hr-reconcile -Dbench=true -Dtest='HrSyncBenchmark#noChange*' -Dbench.reconcile-people="$reconcile" \
    -Dbench.jvm.args="-Xmx$hr_heap"
# the streaming HR sync in a 256 MB heap: 100,000 (10,000) people with 100 KB photo files
part hr-stream -Dbench=true -Dtest=HrSyncMemoryBenchmark -Dbench.stream-people="$stream" -Dbench.jvm.args="-Xmx256m" \
    -Dhr.sync.progress-interval=30s
# as the image starts (k8s/Dockerfile): its layout (extracted jar, JarLauncher, the CDS archive of a training run) and JVM
# options (JAVA_TOOL_OPTIONS; GatewayProcess's -Xmx512m stands in for MaxRAMPercentage of a 1 GiB pod), so the start-up
# and idle RSS are the production ones; idle = 45 s (quick: 35 s) after the first HR sync, past the 30 s periodic GC
image_jvm_options=$(sed -n 's/^ENV JAVA_TOOL_OPTIONS="\(.*\)"$/\1/p' k8s/Dockerfile)
# and the image's other environment that shapes memory (MALLOC_ARENA_MAX), as KEY=VALUE words
image_env=$(sed -n 's/^ENV \(MALLOC_[A-Z_]*=[^ ]*\)$/\1/p' k8s/Dockerfile | tr '\n' ' ')
part startup -Dbench=true -Dtest=StartupBenchmark -Dbench.startup.runs="$starts" -Dbench.startup.settle-seconds="$idle_settle" \
    -Dbench.startup.jvm-options="$image_jvm_options" -Dbench.startup.env="$image_env" -Dbench.startup.image-layout=true
part db-file -Dbench=true -Dtest=DatabaseFileGrowthBenchmark -Dbench.db.minutes="$db_minutes"
[[ -f $out/db-file-growth.md ]] && cat "$out/db-file-growth.md" && cp "$out/db-file-growth.md" bench/results/db-file-growth.md

{
  echo "mode=$mode"
  echo "date=$started_at"
  echo "commit=$commit"
  echo "cores=$(nproc)"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "ram=$(awk '/MemTotal/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo)"
  echo "java=$(java -version 2>&1 | head -1)"
  echo "load1=$load1"
  echo "parts=$(IFS=,; echo "${timings[*]}" | sed 's/,/, /g'); total $(( $(date +%s) - started )) s"
  echo "failed=${failed[*]:-}"
} > "$out/machine.properties"

mkdir -p bench/results
java -Djava.awt.headless=true -cp target/test-classes io.sophonsight.gateway.bench.BenchReport "$out" bench/results $readme \
  || { echo "report failed" >&2; exit 1; }
echo "== bench/results/latest.md and bench/results/latest.png written"
if (( ${#failed[@]} > 0 )); then
  echo "!! failed parts: ${failed[*]}" >&2
  exit 1
fi
