package io.sophonsight.gateway.tooling;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.catalog.EndpointValidationResult;
import org.apache.camel.catalog.impl.DefaultRuntimeCamelCatalog;
import org.apache.camel.dsl.yaml.common.exception.YamlDeserializationException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.language.ExpressionDefinition;
import org.apache.camel.LineNumberAware;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.context.annotation.AnnotationBeanNameGenerator;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.stereotype.Component;

/**
 * Checks {@code application.yaml} and every {@code routes/*.camel.yaml} before a deploy, without
 * starting Spring, connecting to SophonSight or opening a database: YAML DSL syntax and fields (with the
 * nearest valid field name), route ids, every {@code {{placeholder}}} and {@code ${...}} reference,
 * endpoint components and options, bean references, and Simple expressions. Each problem is reported
 * as {@code file:line: message}.
 *
 * <p>Run: {@code java -jar target/sophonsight-gateway-*.jar validate [projectDir]} (exit code 1 on problems).
 */
public final class FlowValidator {

    /** One finding, in the form editors and CI logs link to. */
    public record Problem(String file, int line, String message) {
        @Override
        public String toString() {
            return file + (line > 0 ? ":" + line : "") + ": " + message;
        }
    }

    private static final Pattern CAMEL_PLACEHOLDER = Pattern.compile("\\{\\{([^}:]+)(?::[^}]*)?}}");
    private static final Pattern KEBAB_CASE = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern BEAN_IN_URI = Pattern.compile("(?:=|^)#(?:bean:)?([A-Za-z_][\\w.-]*)");
    private static final String BASE_PACKAGE = "io.sophonsight.gateway";
    /** Beans Spring Boot creates by auto-configuration that routes may name. */
    private static final Set<String> AUTO_CONFIGURED_BEANS = Set.of("dataSource", "jmsConnectionFactory",
            "objectMapper", "transactionManager", "jdbcTemplate", "camelContext");

    private final Path projectDir;
    private final List<Problem> problems = new ArrayList<>();
    private final Set<String> knownBeans = new TreeSet<>();
    private StandardEnvironment environment;

    public FlowValidator(Path projectDir) {
        this.projectDir = projectDir;
    }

    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        List<Problem> problems = new FlowValidator(dir).validate();
        problems.forEach(p -> System.out.println(p));
        System.out.println(problems.isEmpty()
                ? "Flows valid: application.yaml and routes/ in " + dir
                : problems.size() + " problem(s) found in " + dir);
        System.exit(problems.isEmpty() ? 0 : 1);
    }

    public List<Problem> validate() {
        knownBeans.addAll(AUTO_CONFIGURED_BEANS);
        knownBeans.addAll(gatewayBeanNames());
        validateConfiguration();
        validateRoutes();
        // one finding per file and message, at its most specific line (a step rather than its route)
        Map<String, Problem> unique = new java.util.LinkedHashMap<>();
        for (Problem problem : problems) {
            unique.merge(problem.file() + "\n" + problem.message(), problem, (a, b) -> a.line() >= b.line() ? a : b);
        }
        List<Problem> result = new ArrayList<>(unique.values());
        result.sort(Comparator.comparing(Problem::file).thenComparingInt(Problem::line));
        return List.copyOf(result);
    }

    // ------------------------------------------------------------------ application.yaml
    private void validateConfiguration() {
        environment = new StandardEnvironment();
        Path yaml = projectDir.resolve(FlowFiles.APPLICATION_YAML);
        if (!Files.isRegularFile(yaml)) {
            problems.add(new Problem("application.yaml", 0, "missing: the gateway reads it from its working directory"));
            return;
        }
        List<PropertySource<?>> sources;
        try {
            sources = FlowFiles.applicationYaml(projectDir);
        } catch (IOException | RuntimeException e) {
            problems.add(new Problem("application.yaml", 0, "not valid YAML: " + e.getMessage()));
            return;
        }
        // the default document is the configuration in force; profile documents override it only when active
        sources.stream().findFirst().ifPresent(source -> environment.getPropertySources().addLast(source));
        for (PropertySource<?> source : sources) {
            if (!(source instanceof OriginTrackedMapPropertySource tracked)) {
                continue;
            }
            for (Map.Entry<String, Object> entry : tracked.getSource().entrySet()) {
                Object value = entry.getValue() instanceof OriginTrackedValue v ? v.getValue() : entry.getValue();
                if (!(value instanceof String text)) {
                    continue;
                }
                try {
                    environment.resolveRequiredPlaceholders(text);
                } catch (IllegalArgumentException e) {
                    problems.add(new Problem("application.yaml", line(entry.getValue()),
                            entry.getKey() + ": " + e.getMessage() + " (give it a default: ${NAME:default})"));
                }
            }
        }
    }

    private static int line(Object value) {
        if (value instanceof OriginTrackedValue tracked && tracked.getOrigin() instanceof TextResourceOrigin origin
                && origin.getLocation() != null) {
            return origin.getLocation().getLine() + 1;
        }
        return 0;
    }

    // ------------------------------------------------------------------ routes/
    private void validateRoutes() {
        List<Path> files;
        try {
            files = FlowFiles.routeFiles(projectDir);
        } catch (IOException e) {
            problems.add(new Problem("routes", 0, "cannot read the routes folder: " + e.getMessage()));
            return;
        }
        Set<String> routeIds = new TreeSet<>();
        Set<String> configurationIds = new TreeSet<>();
        Map<String, String> directConsumers = new java.util.HashMap<>();
        List<Problem> configurationUses = new ArrayList<>();
        for (Path file : files) {
            String name = FlowFiles.displayName(file);
            // a context per file, never started: loading routes only builds their model
            DefaultCamelContext context;
            {
                try {
                    context = FlowFiles.load(file, key -> lookup(key).orElse(null));
                } catch (Exception e) {
                    problems.add(loadProblem(name, e));
                    continue;
                }
                for (RouteConfigurationDefinition configuration : context.getRouteConfigurationDefinitions()) {
                    if (configuration.getId() != null) {
                        configurationIds.add(configuration.getId());
                    }
                    walk(context, name, configuration);
                }
                for (RouteDefinition route : context.getRouteDefinitions()) {
                    validateRoute(context, name, route, routeIds);
                    if (route.getInput() != null && route.getInput().getEndpointUri().startsWith("direct:")) {
                        directConsumers.put(directName(route.getInput().getEndpointUri()), name);
                    }
                    if (route.getRouteConfigurationId() != null) {
                        for (String id : route.getRouteConfigurationId().split(",")) {
                            configurationUses.add(new Problem(name, route.getLineNumber(), id.trim()));
                        }
                    }
                }
            }
        }
        // across files: every routeConfigurationId names a configuration, every direct: call has a consumer
        for (Problem use : configurationUses) {
            if (!use.message().contains("*") && !configurationIds.contains(use.message())) {
                problems.add(new Problem(use.file(), use.line(), "routeConfigurationId '" + use.message()
                        + "' names no routeConfiguration" + nearest(use.message(), configurationIds)));
            }
        }
        for (Problem call : directCalls) {
            if (!directConsumers.containsKey(call.message())) {
                problems.add(new Problem(call.file(), call.line(), "no route consumes 'direct:" + call.message() + "'"
                        + nearest(call.message(), directConsumers.keySet())));
            }
        }
    }

    private final List<Problem> directCalls = new ArrayList<>();

    private static String directName(String uri) {
        String name = uri.substring("direct:".length());
        int query = name.indexOf('?');
        return query < 0 ? name : name.substring(0, query);
    }

    private void validateRoute(DefaultCamelContext context, String file, RouteDefinition route, Set<String> routeIds) {
        // a route made from a routeTemplate: the template's {{parameters}} are defined by its templatedRoute
        templateParameters = route.getTemplateParameters() == null ? Map.of() : Map.copyOf(route.getTemplateParameters());
        try {
            validateRouteModel(context, file, route, routeIds);
        } finally {
            templateParameters = Map.of();
        }
    }

    private void validateRouteModel(DefaultCamelContext context, String file, RouteDefinition route, Set<String> routeIds) {
        int line = route.getLineNumber();
        if (!route.hasCustomIdAssigned()) {
            problems.add(new Problem(file, line, "route has no explicit id: JMX, health and AdviceWith key on it"));
        } else {
            if (!KEBAB_CASE.matcher(route.getId()).matches()) {
                problems.add(new Problem(file, line, "route id '" + route.getId() + "' is not kebab-case"));
            }
            if (!routeIds.add(route.getId())) {
                problems.add(new Problem(file, line, "route id '" + route.getId() + "' is used by another route too"));
            }
        }
        if (route.getRouteConfigurationId() != null) {
            // checked against the configurations of all files once loaded together by the gateway; here: presence of a name
            if (route.getRouteConfigurationId().isBlank()) {
                problems.add(new Problem(file, line, "empty routeConfigurationId"));
            }
        }
        if (route.getInput() != null) {
            checkEndpoint(context, file, line, route.getInput().getEndpointUri());
        }
        walk(context, file, route);
    }

    /** Visits every definition reachable through getters, checking URIs, placeholders, beans and expressions. */
    private void walk(DefaultCamelContext context, String file, Object root) {
        FlowFiles.walkModel(root, new FlowFiles.ModelVisitor() {
            @Override
            public void node(Object node) {
                int line = line(node);
                if (node instanceof ProcessorDefinition<?> processor
                        && processor instanceof org.apache.camel.model.EndpointRequiredDefinition endpoint) {
                    checkEndpoint(context, file, line, endpoint.getEndpointUri());
                }
                if (node instanceof BeanDefinition bean && bean.getRef() != null) {
                    checkBean(file, line, withTemplateParameters(bean.getRef()));
                }
                if (node instanceof ExpressionDefinition expression) {
                    checkExpression(context, file, line, expression);
                }
                if (node instanceof org.apache.camel.model.LogDefinition log && log.getMessage() != null) {
                    checkSimple(context, file, line, log.getMessage());
                }
            }

            @Override
            public void text(Object node, String getter, String text) {
                int line = line(node);
                checkPlaceholders(file, line, text);
                if (getter.equals("getAggregationStrategy") || getter.endsWith("Ref")) {
                    String ref = text.startsWith("#bean:") ? text.substring(6) : text.startsWith("#") ? text.substring(1) : text;
                    if (!ref.isBlank() && !ref.contains(".") && !ref.contains("{{") && !ref.startsWith("Camel")) {
                        checkBean(file, line, ref);
                    }
                }
            }

            private int line(Object node) {
                return node instanceof LineNumberAware aware && aware.getLineNumber() > 0 ? aware.getLineNumber() : 0;
            }
        });
    }

    private void checkEndpoint(DefaultCamelContext context, String file, int line, String uri) {
        if (uri == null || uri.isBlank()) {
            return;
        }
        if (!checkPlaceholders(file, line, uri)) {
            return;
        }
        String resolved;
        try {
            resolved = context.resolvePropertyPlaceholders(withTemplateParameters(uri));
        } catch (RuntimeException e) {
            problems.add(new Problem(file, line, "cannot resolve '" + uri + "': " + e.getMessage()));
            return;
        }
        if (resolved.contains("${")) {
            return; // dynamic (toD) URI: only its placeholders can be checked before run time
        }
        String scheme = resolved.contains(":") ? resolved.substring(0, resolved.indexOf(':')) : resolved;
        if ("direct".equals(scheme)) {
            directCalls.add(new Problem(file, line, directName(resolved)));
        }
        if (context.getComponent(scheme, true, false) == null) {
            problems.add(new Problem(file, line, "unknown component '" + scheme + "' in '" + uri
                    + "' (is its starter in pom.xml?)"));
            return;
        }
        Matcher beans = BEAN_IN_URI.matcher(resolved.contains("?") ? resolved.substring(resolved.indexOf('?') + 1) : "");
        while (beans.find()) {
            checkBean(file, line, beans.group(1));
        }
        DefaultRuntimeCamelCatalog catalog = new DefaultRuntimeCamelCatalog();
        catalog.setCamelContext(context);
        try {
            EndpointValidationResult result = catalog.validateEndpointProperties(resolved, true);
            if (result.getUnknown() != null) {
                for (String option : result.getUnknown()) {
                    problems.add(new Problem(file, line, "endpoint '" + uri + "': unknown option '" + option + "'"
                            + nearest(option, endpointOptions(catalog, scheme))));
                }
            }
            if (!result.isSuccess() && (result.getUnknown() == null || result.getUnknown().isEmpty())) {
                String summary = result.summaryErrorMessage(false, false, true);
                problems.add(new Problem(file, line, "endpoint '" + uri + "': "
                        + (summary == null ? "invalid" : summary.replaceAll("\\s+", " ").trim())));
            }
        } catch (RuntimeException e) {
            // components without catalog metadata cannot be checked further
        }
    }

    private static Set<String> endpointOptions(DefaultRuntimeCamelCatalog catalog, String scheme) {
        Set<String> names = new TreeSet<>();
        try {
            catalog.componentModel(scheme).getEndpointOptions().forEach(option -> names.add(option.getName()));
        } catch (RuntimeException e) {
            // no metadata: no suggestion
        }
        return names;
    }

    /** The parameter names of the templated route being validated (their {{placeholders}} are not configuration keys). */
    private Map<String, Object> templateParameters = Map.of();

    /** {@code text} with the {{parameters}} of the templated route being validated replaced by their values. */
    private String withTemplateParameters(String text) {
        for (Map.Entry<String, Object> parameter : templateParameters.entrySet()) {
            text = text.replace("{{" + parameter.getKey() + "}}", String.valueOf(parameter.getValue()));
        }
        return text;
    }

    /** Camel {@code {{key}}} placeholders must resolve from application.yaml or the environment. */
    private boolean checkPlaceholders(String file, int line, String text) {
        boolean ok = true;
        Matcher matcher = CAMEL_PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            String key = matcher.group(1).trim();
            if (templateParameters.containsKey(key)) {
                continue;
            }
            boolean hasDefault = matcher.group(0).contains(":") && !key.startsWith("env") && !key.startsWith("sys");
            if (!hasDefault && lookup(key).isEmpty()) {
                problems.add(new Problem(file, line, "placeholder {{" + key + "}} is not defined in application.yaml"
                        + nearest(key, keys())));
                ok = false;
            }
        }
        return ok;
    }

    private void checkBean(String file, int line, String ref) {
        if (ref.startsWith("class:") || ref.startsWith("type:")) {
            return;
        }
        if (!knownBeans.contains(ref)) {
            problems.add(new Problem(file, line, "unknown bean '" + ref + "'" + nearest(ref, knownBeans)));
        }
    }

    private void checkExpression(DefaultCamelContext context, String file, int line, ExpressionDefinition expression) {
        String language = expression.getLanguage();
        String text = expression.getExpression();
        if (text == null || !("simple".equals(language) || "constant".equals(language))) {
            return;
        }
        if ("simple".equals(language)) {
            checkSimple(context, file, line, text);
        } else {
            checkPlaceholders(file, line, text);
        }
    }

    private void checkSimple(DefaultCamelContext context, String file, int line, String text) {
        if (!checkPlaceholders(file, line, text)) {
            return;
        }
        try {
            context.resolveLanguage("simple").createExpression(context.resolvePropertyPlaceholders(text));
        } catch (RuntimeException e) {
            problems.add(new Problem(file, line, "simple expression '" + text + "': "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse("invalid")));
        }
    }

    private Problem loadProblem(String file, Exception e) {
        Throwable cause = e;
        while (cause != null && !(cause instanceof YamlDeserializationException)) {
            cause = cause.getCause();
        }
        String message = cause == null ? String.valueOf(e.getMessage()) : cause.getMessage();
        int line = 0;
        Matcher at = Pattern.compile("line (\\d+), column (\\d+)").matcher(message);
        if (at.find()) {
            line = Integer.parseInt(at.group(1));
        }
        String first = message.lines().findFirst().orElse(message).trim();
        Matcher field = Pattern.compile("(?:Unsupported|Unknown) field: (\\S+)").matcher(first);
        if (field.find()) {
            first += nearest(field.group(1), yamlFieldNames());
        }
        return new Problem(file, line, first);
    }

    // ------------------------------------------------------------------ lookups
    private Optional<String> lookup(String key) {
        if (environment == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(environment.getProperty(key));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Set<String> keys() {
        Set<String> keys = new TreeSet<>();
        if (environment != null) {
            environment.getPropertySources().forEach(source -> {
                if (source instanceof OriginTrackedMapPropertySource tracked) {
                    keys.addAll(tracked.getSource().keySet());
                }
            });
        }
        return keys;
    }

    /** Bean names of the gateway's own components and @Bean methods, found without starting Spring. */
    private static Set<String> gatewayBeanNames() {
        Set<String> names = new TreeSet<>();
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(Component.class));
        AnnotationBeanNameGenerator generator = AnnotationBeanNameGenerator.INSTANCE;
        for (var candidate : scanner.findCandidateComponents(BASE_PACKAGE)) {
            names.add(generator.generateBeanName(candidate, new org.springframework.beans.factory.support.SimpleBeanDefinitionRegistry()));
            if (candidate instanceof AnnotatedBeanDefinition annotated
                    && annotated.getMetadata().isAnnotated(Configuration.class.getName())) {
                try {
                    Class<?> type = Class.forName(candidate.getBeanClassName());
                    for (Method method : type.getDeclaredMethods()) {
                        org.springframework.context.annotation.Bean bean =
                                method.getAnnotation(org.springframework.context.annotation.Bean.class);
                        if (bean != null) {
                            String[] declared = bean.name().length > 0 ? bean.name() : bean.value();
                            names.addAll(declared.length > 0 ? List.of(declared) : List.of(method.getName()));
                        }
                    }
                } catch (ClassNotFoundException | LinkageError e) {
                    // a configuration class that cannot load is reported by the gateway itself at start-up
                }
            }
        }
        return names;
    }

    private static Set<String> yamlFields;

    /** Every field name the YAML DSL knows, from the schema shipped in camel-yaml-dsl. */
    static synchronized Set<String> yamlFieldNames() {
        if (yamlFields == null) {
            yamlFields = new TreeSet<>();
            try (InputStream in = FlowValidator.class.getResourceAsStream("/schema/camelYamlDsl.json")) {
                if (in != null) {
                    JsonNode definitions = new ObjectMapper().readTree(in).path("items").path("definitions");
                    definitions.forEach(definition -> definition.path("properties").fieldNames()
                            .forEachRemaining(yamlFields::add));
                }
            } catch (IOException e) {
                // without the schema there is no suggestion, the error itself is still reported
            }
        }
        return yamlFields;
    }

    /** ", did you mean 'x'?" for the closest candidate within a small edit distance, else "". */
    static String nearest(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(word.toLowerCase(), candidate.toLowerCase());
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        return best != null && bestDistance <= Math.max(2, word.length() / 3) ? " (did you mean '" + best + "'?)" : "";
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

}
