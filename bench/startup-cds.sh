#!/usr/bin/env bash
# Start-up of the image's layout with and without the class-data-sharing archive, without Docker (docs/operations.md "Build the
# image"): the jar of mvn package extracted as k8s/Dockerfile does it (extract --layers --launcher, the four layers in
# one folder), one training run (-XX:ArchiveClassesAtExit, -Dspring.context.exit=onRefresh), then RUNS starts of each
# kind, alternating, each timed from the java command to the first 200 of /actuator/health/readiness.
# Usage: bench/startup-cds.sh [runs]   (default 3; needs curl and a built jar: mvn -B package -DskipTests)
# Result: target/bench/startup-cds.md (also printed). Ports from BENCH_PORT_BASE (default 18750).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
base=${BENCH_PORT_BASE:-18750}
jar=$(ls target/sophonsight-gateway-*.jar 2>/dev/null | grep -v -- '-plain' | head -1 || true)
[ -n "$jar" ] || { echo "no jar in target/: run mvn -B package -DskipTests first" >&2; exit 1; }
work=target/bench/cds
rm -rf "$work" && mkdir -p "$work/extracted" "$work/app"
java -Djarmode=tools -jar "$jar" extract --layers --launcher --destination "$work/extracted" >/dev/null
for layer in dependencies spring-boot-loader snapshot-dependencies application; do
  cp -a "$work/extracted/$layer/." "$work/app/"
done
cp application.yaml "$work/app/" && cp -r routes "$work/app/routes"
app=$(cd "$work/app" && pwd)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null || true' EXIT

# the gateway on the layout, as the image's ENTRYPOINT runs it (exec: the background job's pid is the JVM's)
run_gateway() {
  local kind=$1; shift
  cd "$app" && exec env GATEWAY_DATA_DIR="$app/data-$kind" SERVER_PORT=$base SIMULATOR_PORT=$((base + 1)) \
      JOLOKIA_PORT=$((base + 2)) MANAGEMENT_PORT=$((base + 3)) SIMULATOR_PUSH_INTERVAL=0s \
      java "$@" org.springframework.boot.loader.launch.JarLauncher
}

echo "training run (writes $work/app/app.jsa) ..." >&2
(run_gateway training -XX:ArchiveClassesAtExit=app.jsa -Dspring.context.exit=onRefresh >"$app/training.log" 2>&1)
ls -l "$app/app.jsa" >&2

# one start: milliseconds from the java command to the first ready answer (tries the management port, then server.port)
start_ms() {
  local kind=$1; shift
  rm -rf "$app/data-$kind"
  local t0; t0=$(date +%s%N)
  (run_gateway "$kind" "$@" >"$app/$kind.log" 2>&1) &
  pid=$!
  until curl -fs "http://localhost:$((base + 3))/actuator/health/readiness" >/dev/null 2>&1 \
     || curl -fs "http://localhost:$base/actuator/health/readiness" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { echo "start failed, see $app/$kind.log" >&2; exit 1; }
    sleep 0.1
  done
  echo $(( ($(date +%s%N) - t0) / 1000000 ))
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=
}

without=(); with=()
for i in $(seq 1 "$runs"); do
  without+=("$(start_ms plain -Xshare:auto)")
  with+=("$(start_ms cds -XX:SharedArchiveFile=app.jsa -Xshare:auto)")
  echo "run $i: without CDS ${without[-1]} ms, with CDS ${with[-1]} ms" >&2
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mkdir -p target/bench
{
  echo "| layout (extract --layers --launcher, JarLauncher) | median ms to ready | runs (ms) |"
  echo "|---|---|---|"
  echo "| without CDS | $(median "${without[@]}") | ${without[*]} |"
  echo "| with CDS archive ($(du -m "$app/app.jsa" | cut -f1) MB) | $(median "${with[@]}") | ${with[*]} |"
  echo
  echo "$(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
} | tee target/bench/startup-cds.md
