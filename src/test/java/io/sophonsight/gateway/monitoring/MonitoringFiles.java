package io.sophonsight.gateway.monitoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The monitoring files of {@code k8s/monitoring/} as the tests read them: the alert rules of the PrometheusRule, the
 * expressions of the Grafana dashboard, and the metric names their PromQL uses.
 */
final class MonitoringFiles {

    static final Path DIR = Path.of("k8s", "monitoring");
    static final Path RULE = DIR.resolve("prometheusrule.yaml");
    static final Path RULE_TESTS = DIR.resolve("prometheusrule.tests.yaml");
    static final Path POD_MONITOR = DIR.resolve("podmonitor.yaml");
    static final Path DASHBOARD = DIR.resolve("grafana-dashboard.json");

    /** Series Prometheus makes itself, not the gateway: {@code up} of every scrape target. */
    static final Set<String> MADE_BY_PROMETHEUS = Set.of("up");

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "bool", "offset", "inf", "nan");
    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\s*\\()?");

    private MonitoringFiles() {
    }

    /** The alert rules of the PrometheusRule, in file order. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> alertRules() {
        Map<String, Object> rule = yaml(RULE);
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) ((Map<String, Object>) rule.get("spec")).get("groups")) {
            rules.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        return rules;
    }

    /** Every PromQL expression of the dashboard's panels (rows included). */
    static List<String> dashboardExpressions() {
        List<String> expressions = new ArrayList<>();
        dashboard().findValues("expr").forEach(node -> expressions.add(node.asText()));
        return expressions;
    }

    static JsonNode dashboard() {
        try {
            return new ObjectMapper().readTree(Files.readString(DASHBOARD));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The metric names a PromQL expression selects: identifiers that are not functions, keywords or label names. */
    static Set<String> metricNames(String promQl) {
        String text = STRINGS.matcher(promQl).replaceAll("\"\"");
        text = text.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
        text = GROUPING.matcher(text).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher matcher = IDENTIFIER.matcher(text);
        while (matcher.find()) {
            String token = matcher.group().trim();
            boolean function = matcher.group(1) != null;
            int start = matcher.start();
            boolean partOfNumberOrVariable = start > 0 && (Character.isDigit(text.charAt(start - 1)) || text.charAt(start - 1) == '$'
                    || text.charAt(start - 1) == '.');
            if (!function && !partOfNumberOrVariable && !KEYWORDS.contains(token.toLowerCase())) {
                names.add(token);
            }
        }
        return names;
    }

    /** Every metric the rules and the dashboard use, without those Prometheus makes itself. */
    static Set<String> metricsUsed() {
        Set<String> names = new TreeSet<>();
        alertRules().forEach(rule -> names.addAll(metricNames(String.valueOf(rule.get("expr")))));
        dashboardExpressions().forEach(expr -> names.addAll(metricNames(expr)));
        names.removeAll(MADE_BY_PROMETHEUS);
        return names;
    }

    static Map<String, Object> yaml(Path file) {
        try {
            return new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
