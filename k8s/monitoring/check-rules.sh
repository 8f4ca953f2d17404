#!/usr/bin/env bash
# Checks the gateway's alert rules with Prometheus' own tool (Debian/Ubuntu package prometheus; .ci/run installs it):
#   promtool check rules  - syntax, PromQL, templates of prometheusrule.yaml
#   promtool test rules   - prometheusrule.tests.yaml: each alert fires on the series it is meant for, and not before
# promtool reads plain rule files, so the rule groups under the PrometheusRule's spec: are written to target/monitoring.
set -euo pipefail
cd "$(dirname "$0")"
out=../../target/monitoring
mkdir -p "$out"
awk 'found { sub(/^  /, ""); print } /^spec:/ { found = 1 }' prometheusrule.yaml > "$out/sophonsight-gateway.rules.yaml"
cp prometheusrule.tests.yaml "$out/"
promtool check rules "$out/sophonsight-gateway.rules.yaml"
cd "$out"
promtool test rules prometheusrule.tests.yaml
