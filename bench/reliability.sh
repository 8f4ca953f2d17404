#!/usr/bin/env bash
# Reliability suite (see docs/reliability.md): the three in-context scenarios through surefire, then the
# packaged jar killed during a push load and the 60 s burst of 256 clients of 2 MB image pushes into a 512 MB
# heap (ImagePushBurstIT; 15 s in mvn verify) through failsafe, in one Maven run; then one report of all figures:
# target/reliability/report.md (each test also writes target/reliability/<test>.md).
# Options pass through to Maven, e.g. a longer run:
#   bench/reliability.sh -Dreliability.malformed=5000 -Dreliability.kill.clients=8 -Dreliability.kill.acks-before-kill=5000
# or on PostgreSQL (the in-context tests): bench/reliability.sh -Ppostgres
set -uo pipefail
cd "$(dirname "$0")/.."
rm -rf target/reliability
mvn -B -q verify \
    -Dtest='MalformedPushFuzzTest,PlatformOutageDuringHrSyncTest,ReadOnlyPhotoFolderTest' \
    -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test=KillDuringPushLoadIT,ImagePushBurstIT -Dfailsafe.failIfNoSpecifiedTests=false \
    -Dreliability.burst.seconds=60 \
    "$@"
status=$?
mkdir -p target/reliability
{
    echo "## Reliability figures"
    echo
    echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
         "$(java -version 2>&1 | head -1); Maven exit status ${status}."
    for test in KillDuringPushLoadIT ImagePushBurstIT PlatformOutageDuringHrSyncTest MalformedPushFuzzTest ReadOnlyPhotoFolderTest; do
        echo
        if [ -f "target/reliability/${test}.md" ]; then
            cat "target/reliability/${test}.md"
        else
            echo "### ${test}: no figures (the test failed or did not run; see target/surefire-reports, target/failsafe-reports)"
        fi
    done
} > target/reliability/report.md
cat target/reliability/report.md
exit ${status}
