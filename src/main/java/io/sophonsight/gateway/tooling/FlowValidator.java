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
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.language.MethodCallExpression;
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
 * endpoint components and options, bean references, Simple expressions, that a bean method a route calls takes
 * typed arguments rather than the {@code Exchange}/{@code Message} (unless listed in
 * {@link #EXCHANGE_METHODS_ALLOWED} with a reason), and that every {@code sql:classpath:} file a step names exists.
 * Route templates, templated routes and REST definitions are checked like routes. Each problem is reported
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

    /**
     * Bean methods ({@code beanName.method}) that routes may still call although they take the {@code Exchange} or
     * {@code Message}, each with the reason. Beans compute, routes decide: a bean called from YAML takes typed arguments
     * and returns its result, so the route shows every header it sets and every decision it makes.
     */
    static final Map<String, String> EXCHANGE_METHODS_ALLOWED = Map.ofEntries(
            Map.entry("visitorRequestReader.fromHttp", "reads the multipart parts and the caller's address from the servlet"
                    + " request, which only the Exchange carries; it sets no header (the caller's address goes to one property, VisitorCaller)"));

    private static final Pattern BEAN_IN_SIMPLE =
            Pattern.compile("\\$\\{bean:([A-Za-z_][\\w-]*)(?:\\.|::|\\?method=)([A-Za-z_]\\w*)");
    private static final String THREAD_POOL_PROFILES = "camel.threadpool.config.";
    private static final Pattern SQL_CLASSPATH_FILE = Pattern.compile("^sql:(?:resource:)?classpath:([^?]+)");

    private final Path projectDir;
    private final List<Problem> problems = new ArrayList<>();
    private final Set<String> knownBeans = new TreeSet<>();
    private final Map<String, Class<?>> beanTypes = new java.util.HashMap<>();
    private final Map<String, String> exchangeMethodsAllowed;
    private StandardEnvironment environment;

    public FlowValidator(Path projectDir) {
        this(projectDir, Map.of(), EXCHANGE_METHODS_ALLOWED);
    }

    /** A validator that also knows {@code extraBeans} (tests' fixtures) and allows these Exchange-typed methods. */
    FlowValidator(Path projectDir, Map<String, Class<?>> extraBeans, Map<String, String> exchangeMethodsAllowed) {
        this.projectDir = projectDir;
        this.beanTypes.putAll(extraBeans);
        this.exchangeMethodsAllowed = Map.copyOf(exchangeMethodsAllowed);
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
        gatewayBeans().forEach(beanTypes::putIfAbsent);
        knownBeans.addAll(beanTypes.keySet());
        validateConfiguration();
        // thread pool profiles of camel.threadpool.config.<id>.* are named like beans (executorService: <id>)
        for (String key : keys()) {
            if (key.startsWith(THREAD_POOL_PROFILES)) {
                String id = key.substring(THREAD_POOL_PROFILES.length());
                knownBeans.add(id.contains(".") ? id.substring(0, id.indexOf('.')) : id);
            }
        }
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
                for (RouteTemplateDefinition template : context.getRouteTemplateDefinitions()) {
                    // a template's steps are checked like a route's; what depends on a {{parameter}} is checked in the
                    // routes made from it (with their values), so here a parameter only counts as defined
                    if (template.getRoute() != null) {
                        Map<String, String> parameters = new java.util.HashMap<>();
                        if (template.getTemplateParameters() != null) {
                            template.getTemplateParameters().forEach(parameter -> parameters.put(parameter.getName(), null));
                        }
                        withLocalParameters(parameters, () -> walk(context, name, template.getRoute()));
                    }
                }
                // REST definitions need no walk of their own: each verb is a route of getRouteDefinitions() below
                // (with the direct: route it calls inlined, as the gateway runs it)
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
        // a route made from a template: its {{parameters}} are the values the templatedRoute gives
        withLocalParameters(route.getTemplateParameters() == null ? Map.of() : route.getTemplateParameters().entrySet()
                .stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue()))),
                () -> validateRouteModel(context, file, route, routeIds));
    }

    /** Template parameters of the route or template being checked; they resolve before application.yaml. */
    private Map<String, String> localParameters = Map.of();

    private void withLocalParameters(Map<String, String> parameters, Runnable check) {
        Map<String, String> outer = localParameters;
        localParameters = parameters;
        try {
            check.run();
        } finally {
            localParameters = outer;
        }
    }

    /** True when {@code text} still names a parameter of the template being checked (its value comes with each use). */
    private boolean dependsOnParameter(String text) {
        Matcher matcher = CAMEL_PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            if (localParameters.containsKey(matcher.group(1).trim())) {
                return true;
            }
        }
        return false;
    }

    /** {@code text} with the current template parameters put in for their {@code {{name}}} (unknown values stay). */
    private String local(String text) {
        if (localParameters.isEmpty() || text == null || !text.contains("{{")) {
            return text;
        }
        Matcher matcher = CAMEL_PLACEHOLDER.matcher(text);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String value = localParameters.get(matcher.group(1).trim());
            matcher.appendReplacement(result, Matcher.quoteReplacement(value != null ? value : matcher.group(0)));
        }
        matcher.appendTail(result);
        return result.toString();
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
                    checkBean(file, line, local(bean.getRef()));
                    checkBeanMethod(file, line, local(bean.getRef()), bean.getMethod());
                }
                if (node instanceof MethodCallExpression call && call.getRef() != null) {
                    checkBean(file, line, local(call.getRef()));
                    checkBeanMethod(file, line, local(call.getRef()), call.getMethod());
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

            /** The node's line, or (expressions have none) that of the step last visited: the one holding it. */
            private int lastLine;

            private int line(Object node) {
                if (node instanceof LineNumberAware aware && aware.getLineNumber() > 0) {
                    lastLine = aware.getLineNumber();
                }
                return lastLine;
            }
        });
    }

    private void checkEndpoint(DefaultCamelContext context, String file, int line, String endpointUri) {
        String uri = local(endpointUri);
        if (uri == null || uri.isBlank() || dependsOnParameter(uri)) {
            return;
        }
        if (!checkPlaceholders(file, line, uri)) {
            return;
        }
        String resolved;
        try {
            resolved = context.resolvePropertyPlaceholders(uri);
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
        checkSqlFile(file, line, resolved);
        if ("bean".equals(scheme)) {
            String path = resolved.substring("bean:".length());
            String name = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
            Matcher method = Pattern.compile("[?&]method=([^&(]+)").matcher(path);
            checkBeanMethod(file, line, name, method.find() ? method.group(1) : null);
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

    /** Camel {@code {{key}}} placeholders must resolve from application.yaml or the environment. */
    private boolean checkPlaceholders(String file, int line, String template) {
        boolean ok = true;
        String text = local(template);
        Matcher matcher = CAMEL_PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            String key = matcher.group(1).trim();
            if (localParameters.containsKey(key)) {
                continue; // a parameter of the template being checked
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
        if (ref.startsWith("class:") || ref.startsWith("type:") || dependsOnParameter(ref)) {
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

    private void checkSimple(DefaultCamelContext context, String file, int line, String template) {
        if (!checkPlaceholders(file, line, template)) {
            return;
        }
        String text = local(template);
        if (dependsOnParameter(text)) {
            return;
        }
        Matcher beanCalls = BEAN_IN_SIMPLE.matcher(text);
        while (beanCalls.find()) {
            checkBean(file, line, beanCalls.group(1));
            checkBeanMethod(file, line, beanCalls.group(1), beanCalls.group(2));
        }
        try {
            // ${bean:...} looks its bean up while compiling; the bean and its method are checked above instead
            context.resolveLanguage("simple").createExpression(context.resolvePropertyPlaceholders(withoutBeanCalls(text)));
        } catch (RuntimeException e) {
            problems.add(new Problem(file, line, "simple expression '" + text + "': "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse("invalid")));
        }
    }

    /** {@code text} with every {@code ${bean:...}} (nested {@code ${...}} arguments included) replaced by {@code ${body}}. */
    static String withoutBeanCalls(String text) {
        StringBuilder result = new StringBuilder();
        int from = 0;
        int start;
        while ((start = text.indexOf("${bean:", from)) >= 0) {
            result.append(text, from, start).append("${body}");
            int depth = 0;
            int i = start;
            for (; i < text.length(); i++) {
                if (text.startsWith("${", i)) {
                    depth++;
                    i++;
                } else if (text.charAt(i) == '}' && --depth == 0) {
                    break;
                }
            }
            from = Math.min(i + 1, text.length());
        }
        return result.append(text.substring(from)).toString();
    }

    /**
     * A bean method a route calls must not take the {@code Exchange} or {@code Message}: such a method can set headers
     * and make decisions the route does not show. Every overload of the name counts, as Camel may pick any of them.
     */
    private void checkBeanMethod(String file, int line, String beanName, String method) {
        Class<?> type = beanTypes.get(beanName);
        if (type == null || method == null || method.isBlank() || method.contains("${") || method.contains("{{")) {
            return;
        }
        String name = method.contains("(") ? method.substring(0, method.indexOf('(')).trim() : method.trim();
        String key = beanName + "." + name;
        if (exchangeMethodsAllowed.containsKey(key)) {
            return;
        }
        for (Method candidate : type.getMethods()) {
            if (candidate.getName().equals(name) && takesExchangeOrMessage(candidate)) {
                problems.add(new Problem(file, line, "bean method '" + key + "' takes the " + exchangeParameter(candidate)
                        + ": beans called from routes take typed arguments and return their result, the route sets headers"
                        + " and decides (else list it in FlowValidator.EXCHANGE_METHODS_ALLOWED with a reason)"));
                return;
            }
        }
    }

    static boolean takesExchangeOrMessage(Method method) {
        return !exchangeParameter(method).isEmpty();
    }

    private static String exchangeParameter(Method method) {
        for (Class<?> parameter : method.getParameterTypes()) {
            if (org.apache.camel.Exchange.class.isAssignableFrom(parameter)) {
                return "Exchange";
            }
            if (org.apache.camel.Message.class.isAssignableFrom(parameter)) {
                return "Message";
            }
        }
        return "";
    }

    /** {@code sql:classpath:sql/<flow>/<name>.sql}: the file must be in the project's resources (or the jar). */
    private void checkSqlFile(String file, int line, String uri) {
        Matcher sql = SQL_CLASSPATH_FILE.matcher(uri);
        if (!sql.find()) {
            return;
        }
        String path = sql.group(1).startsWith("/") ? sql.group(1).substring(1) : sql.group(1);
        boolean inProject = Files.isRegularFile(projectDir.resolve("src/main/resources").resolve(path));
        boolean onClasspath = FlowValidator.class.getClassLoader().getResource(path) != null;
        if (!inProject && !onClasspath) {
            problems.add(new Problem(file, line, "SQL file '" + path + "' does not exist (src/main/resources/" + path + ")"
                    + nearest(path, sqlFiles())));
        }
    }

    /** The SQL files of the project's resources, for suggestions. */
    private Set<String> sqlFiles() {
        Set<String> files = new TreeSet<>();
        Path resources = projectDir.resolve("src/main/resources");
        Path sql = resources.resolve("sql");
        if (Files.isDirectory(sql)) {
            try (var stream = Files.walk(sql)) {
                stream.filter(Files::isRegularFile)
                        .forEach(f -> files.add(resources.relativize(f).toString().replace('\\', '/')));
            } catch (IOException e) {
                // no suggestion
            }
        }
        return files;
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

    /** Bean names and types of the gateway's own components and @Bean methods, found without starting Spring. */
    static Map<String, Class<?>> gatewayBeans() {
        Map<String, Class<?>> beans = new java.util.TreeMap<>();
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(Component.class));
        AnnotationBeanNameGenerator generator = AnnotationBeanNameGenerator.INSTANCE;
        for (var candidate : scanner.findCandidateComponents(BASE_PACKAGE)) {
            String beanName = generator.generateBeanName(candidate,
                    new org.springframework.beans.factory.support.SimpleBeanDefinitionRegistry());
            Class<?> componentType;
            try {
                componentType = Class.forName(candidate.getBeanClassName());
            } catch (ClassNotFoundException | LinkageError e) {
                componentType = Object.class; // reported by the gateway itself at start-up
            }
            beans.put(beanName, componentType);
            if (candidate instanceof AnnotatedBeanDefinition annotated
                    && annotated.getMetadata().isAnnotated(Configuration.class.getName())) {
                try {
                    Class<?> type = componentType;
                    for (Method method : type.getDeclaredMethods()) {
                        org.springframework.context.annotation.Bean bean =
                                method.getAnnotation(org.springframework.context.annotation.Bean.class);
                        if (bean != null) {
                            String[] declared = bean.name().length > 0 ? bean.name() : bean.value();
                            for (String name : declared.length > 0 ? List.of(declared) : List.of(method.getName())) {
                                beans.put(name, method.getReturnType());
                            }
                        }
                    }
                } catch (LinkageError e) {
                    // a configuration class that cannot load is reported by the gateway itself at start-up
                }
            }
        }
        return beans;
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
