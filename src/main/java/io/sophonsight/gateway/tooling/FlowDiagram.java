package io.sophonsight.gateway.tooling;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.EndpointRequiredDefinition;
import org.apache.camel.model.EnrichDefinition;
import org.apache.camel.model.ExpressionNode;
import org.apache.camel.model.FromDefinition;
import org.apache.camel.model.PollEnrichDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDynamicDefinition;
import org.apache.camel.model.WireTapDefinition;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.PropertySourcesPropertyResolver;

/**
 * Draws the picture of all flows from the real route files, so the docs cannot drift from them: a Mermaid
 * {@code flowchart LR} with one subgraph per flow file (its routes and what starts them) and the places
 * events reach (tables of the gateway's and the HR database, JMS queues, folders, the SophonSight
 * platform), plus a table of every route id with its description, what starts it and what it reaches. A route
 * served by a REST operation ({@code rest:} ... {@code to: direct:<route>}) is drawn as started by that operation.
 *
 * <p>Routes are loaded like {@link FlowValidator} does (unstarted contexts, {@link FlowFiles}); placeholders
 * resolve against the defaults of {@code application.yaml} only (never the environment), so the picture
 * is the same on every machine. A {@code sql:} endpoint is drawn as the table its statement names
 * ({@code INSERT INTO t}, {@code UPDATE t}, {@code DELETE FROM t}, the first {@code FROM t} of a SELECT).
 *
 * <p>Regenerate the blocks of {@value #DOCUMENT}: {@code mvn -q compile exec:java@flow-diagram}
 * ({@code FlowDiagramTest} fails while that page differs from what this class produces).
 */
public final class FlowDiagram {

    public static final String REGENERATE = "mvn -q compile exec:java@flow-diagram";
    /** The page that shows the generated diagram and route table (README.md is the landing page, too short for them). */
    public static final String DOCUMENT = "docs/flows/README.md";
    public static final String DIAGRAM_BEGIN = "<!-- flow-diagram:begin -->";
    public static final String DIAGRAM_END = "<!-- flow-diagram:end -->";
    public static final String TABLE_BEGIN = "<!-- route-table:begin -->";
    public static final String TABLE_END = "<!-- route-table:end -->";

    private static final Pattern SQL_TABLE = Pattern.compile(
            "^\\s*(?:(INSERT)\\s+INTO|(UPDATE)|(DELETE)\\s+FROM|(MERGE)\\s+INTO|(SELECT)\\b.*?\\bFROM)\\s+([A-Za-z_][\\w.]*)",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern SQL_OPTIONS = Pattern.compile("\\?(\\w+=\\S*(?:&\\w+=\\S*)*)$");
    private static final String SOPHONSIGHT = "sophonsight";

    /** A place outside the routes: a table, a queue, a folder, the platform, or what starts a route. */
    private record Place(String id, String group, String shape, String label) {
    }

    /** An arrow of the picture. */
    private record Edge(String from, String to, String label, boolean dashed) {
    }

    private record Route(String id, String file, String description, String startedBy, String direct) {
    }

    /** One endpoint a route sends to: {@code to}, {@code toD}, {@code wireTap}, {@code enrich}, or its error handler. */
    private record Call(String uri, String how) {
    }

    private final Path projectDir;
    private final PropertySourcesPropertyResolver defaults;
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private final Map<String, List<RouteDefinition>> definitions = new LinkedHashMap<>();
    private final Map<String, Place> places = new TreeMap<>();
    private final Set<Edge> edges = new TreeSet<>((a, b) -> (a.from + "\n" + a.to + "\n" + a.label + "\n" + a.dashed)
            .compareTo(b.from + "\n" + b.to + "\n" + b.label + "\n" + b.dashed));
    /** Per route id: the context its file was loaded into, the endpoints it sends to, its dynamic direct: calls. */
    private final Map<String, DefaultCamelContext> contexts = new LinkedHashMap<>();
    private final Map<String, List<Call>> calls = new LinkedHashMap<>();
    private final Map<String, List<Pattern>> dynamicCalls = new TreeMap<>();

    public FlowDiagram(Path projectDir) throws Exception {
        this.projectDir = projectDir;
        MutablePropertySources sources = new MutablePropertySources();
        List<PropertySource<?>> documents = FlowFiles.applicationYaml(projectDir);
        if (!documents.isEmpty()) {
            sources.addLast(documents.get(0)); // the default document: profiles only change it when active
        }
        defaults = new PropertySourcesPropertyResolver(sources);
        load();
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        Path document = dir.resolve(DOCUMENT);
        FlowDiagram diagram = new FlowDiagram(dir);
        String text = Files.readString(document);
        String updated = replaceBlock(replaceBlock(text, DIAGRAM_BEGIN, DIAGRAM_END, diagram.mermaidBlock()),
                TABLE_BEGIN, TABLE_END, diagram.routeTable());
        if (updated.equals(text)) {
            System.out.println(DOCUMENT + " flow diagram and route table are up to date");
        } else {
            Files.writeString(document, updated);
            System.out.println(DOCUMENT + " flow diagram and route table regenerated from routes/ and application.yaml");
        }
    }

    // ------------------------------------------------------------------ model
    private void load() throws Exception {
        Map<String, List<Call>> configurations = new TreeMap<>();
        Map<String, String> configurationUse = new LinkedHashMap<>();
        // every file first: a REST operation (rest: ... to: direct:x) is what starts the route consuming direct:x
        Map<String, DefaultCamelContext> files = new LinkedHashMap<>();
        Map<String, String> restOperations = new TreeMap<>();
        for (Path file : FlowFiles.routeFiles(projectDir)) {
            DefaultCamelContext context = FlowFiles.load(file, this::property);
            files.put(FlowFiles.displayName(file), context);
            for (RestDefinition rest : context.getRestDefinitions()) {
                for (VerbDefinition verb : rest.getVerbs()) {
                    String to = verb.getTo() == null ? "" : resolve(context, verb.getTo().getEndpointUri());
                    if (to.startsWith("direct:")) {
                        restOperations.put(path(to), verb.asVerb().toUpperCase(Locale.ROOT) + " "
                                + resolve(context, rest.getPath()) + (verb.getPath() == null ? "" : verb.getPath()));
                    }
                }
            }
        }
        for (Map.Entry<String, DefaultCamelContext> file : files.entrySet()) {
            String name = file.getKey();
            DefaultCamelContext context = file.getValue();
            for (RouteConfigurationDefinition configuration : context.getRouteConfigurationDefinitions()) {
                List<Call> found = new ArrayList<>();
                collectEndpoints(configuration, found);
                found.forEach(call -> configurations.computeIfAbsent(configuration.getId(), k -> new ArrayList<>())
                        .add(new Call(call.uri(), "on error")));
            }
            for (RouteDefinition definition : context.getRouteDefinitions()) {
                if (definition.isCreatedFromRest()) {
                    continue; // a REST operation's own route: drawn as what starts the route it calls
                }
                String uri = resolve(context, templated(definition, definition.getInput().getEndpointUri()));
                String direct = uri.startsWith("direct:") ? path(uri) : null;
                String startedBy = direct == null ? start(definition.getId(), uri)
                        : restOperations.containsKey(direct) ? entry(definition.getId(), restOperations.get(direct)) : null;
                routes.put(definition.getId(), new Route(definition.getId(), name,
                        definition.getDescriptionText() == null ? "" : definition.getDescriptionText().trim(),
                        startedBy, direct));
                definitions.computeIfAbsent(name, n -> new ArrayList<>()).add(definition);
                List<Call> found = new ArrayList<>();
                collectEndpoints(definition, found);
                found.replaceAll(call -> new Call(templated(definition, call.uri()), call.how()));
                contexts.put(definition.getId(), context);
                calls.put(definition.getId(), found);
                if (definition.getRouteConfigurationId() != null) {
                    configurationUse.put(definition.getId(), definition.getRouteConfigurationId());
                }
            }
        }
        // what a route's shared error handling (routeConfigurationId) sends to counts as the route's own output
        configurationUse.forEach((routeId, ids) -> {
            for (String id : ids.split(",")) {
                calls.get(routeId).addAll(configurations.getOrDefault(id.trim(), List.of()));
            }
        });
        Map<String, String> directRoutes = new TreeMap<>();
        routes.values().stream().filter(r -> r.direct() != null).forEach(r -> directRoutes.put(r.direct(), r.id()));
        calls.forEach((routeId, list) -> {
            for (Call call : list) {
                output(routeId, call, resolve(contexts.get(routeId), call.uri()), directRoutes);
            }
        });
        // dynamic calls (toD direct:prefix-${...}) go to the matching routes that are not upstream of the caller
        dynamicCalls.forEach((routeId, patterns) -> {
            Set<String> upstream = upstream(routeId);
            for (Pattern pattern : patterns) {
                directRoutes.forEach((name, target) -> {
                    if (pattern.matcher(name).matches() && !target.equals(routeId) && !upstream.contains(target)) {
                        edges.add(new Edge(node(routeId), node(target), "toD", true));
                    }
                });
            }
        });
    }

    private String property(String key) {
        try {
            return defaults.getProperty(key);
        } catch (IllegalArgumentException e) {
            return null; // ${VARIABLE} without a default: FlowValidator reports it
        }
    }

    /** {@code text} with the {{parameters}} of a templatedRoute replaced by their values (a plain route: as is). */
    private static String templated(RouteDefinition definition, String text) {
        if (definition.getTemplateParameters() == null || text == null) {
            return text;
        }
        for (Map.Entry<String, Object> parameter : definition.getTemplateParameters().entrySet()) {
            text = text.replace("{{" + parameter.getKey() + "}}", String.valueOf(parameter.getValue()));
        }
        return text;
    }

    private static String resolve(DefaultCamelContext context, String uri) {
        try {
            return context.resolvePropertyPlaceholders(uri);
        } catch (RuntimeException e) {
            return uri;
        }
    }

    /**
     * Beans that run SQL themselves instead of through a {@code sql:} step (bean name -> the sql: URIs of
     * their statement files), drawn as if they were sql: steps.
     */
    private static final Map<String, List<String>> BEANS_RUNNING_SQL = Map.of(
            // group commit of the store step (AccessEventWriter)
            "accessEventWriter", List.of("sql:classpath:sql/access-event-store/insert-event-images.sql",
                    "sql:classpath:sql/access-event-store/insert-event.sql"));

    /** The endpoints a route (or route configuration) sends to, from every step reachable in its model. */
    private static void collectEndpoints(Object root, List<Call> calls) {
        FlowFiles.walkModel(root, node -> {
            if (node instanceof FromDefinition) {
                return; // what starts the route, not where it sends
            }
            String beanRef = node instanceof org.apache.camel.model.BeanDefinition bean ? bean.getRef()
                    : node instanceof org.apache.camel.model.language.MethodCallExpression method ? method.getRef() : null;
            if (beanRef != null && BEANS_RUNNING_SQL.containsKey(beanRef)) {
                BEANS_RUNNING_SQL.get(beanRef).forEach(uri -> calls.add(new Call(uri, "to")));
            } else if (node instanceof WireTapDefinition<?> tap) {
                calls.add(new Call(tap.getUri(), "wireTap"));
            } else if (node instanceof ToDynamicDefinition dynamic) {
                calls.add(new Call(dynamic.getUri(), "toD"));
            } else if (node instanceof EndpointRequiredDefinition endpoint && endpoint.getEndpointUri() != null) {
                calls.add(new Call(endpoint.getEndpointUri(), "to"));
            } else if ((node instanceof EnrichDefinition || node instanceof PollEnrichDefinition)
                    && ((ExpressionNode) node).getExpression() != null
                    && ((ExpressionNode) node).getExpression().getExpression() != null) {
                calls.add(new Call(((ExpressionNode) node).getExpression().getExpression().trim(), "enrich"));
            }
        });
    }

    /** What starts a route that no other route calls: an HTTP path, a schedule, a table poll. */
    private String start(String routeId, String uri) {
        String scheme = scheme(uri);
        Map<String, String> options = options(uri);
        String label;
        switch (scheme) {
            case "platform-http" -> label = options.getOrDefault("httpMethodRestrict", "HTTP").replace(",", "/")
                    + " " + path(uri);
            case "quartz" -> label = "quartz " + options.getOrDefault("cron", path(uri));
            case "timer" -> label = "1".equals(options.get("repeatCount"))
                    ? "once, " + options.getOrDefault("delay", "1000") + " ms after start"
                    : "timer every " + options.getOrDefault("period", "1000") + " ms";
            case "sql" -> {
                String table = table(uri, routeId, "poll", false);
                return "polls " + (table == null ? "sql" : "`" + places.get(table).label() + "`");
            }
            default -> label = uri;
        }
        return entry(routeId, label);
    }

    /** The node of what starts a route (an HTTP operation, a schedule) and its arrow; returns the label. */
    private String entry(String routeId, String label) {
        String id = "in_" + sanitize(routeId);
        places.put(id, new Place(id, "", "([\"%s\"])", label));
        edges.add(new Edge(id, node(routeId), null, false));
        return label;
    }

    private void output(String routeId, Call call, String uri, Map<String, String> directRoutes) {
        String raw = call.uri();
        String label = "to".equals(call.how()) || "toD".equals(call.how()) || "enrich".equals(call.how()) ? null : call.how();
        boolean dashed = label != null;
        String scheme = scheme(uri);
        switch (scheme) {
            case "direct" -> {
                if (uri.contains("${")) {
                    List<String> literal = new ArrayList<>();
                    for (String part : path(uri).split("\\$\\{[^}]*}", -1)) {
                        literal.add(Pattern.quote(part));
                    }
                    dynamicCalls.computeIfAbsent(routeId, k -> new ArrayList<>())
                            .add(Pattern.compile(String.join("[a-z0-9]+", literal)));
                } else if (directRoutes.containsKey(path(uri))) {
                    edges.add(new Edge(node(routeId), node(directRoutes.get(path(uri))), label, dashed));
                }
            }
            case "sql" -> table(uri, routeId, label, true);
            case "jms" -> {
                String queue = path(uri).replaceFirst("^(queue|topic):", "");
                String id = "q_" + sanitize(queue);
                places.put(id, new Place(id, "queues", ">\"%s\"]", queue));
                edges.add(new Edge(node(routeId), id, label, dashed));
            }
            case "file" -> {
                String folder = path(uri);
                String id = "d_" + sanitize(folder);
                places.put(id, new Place(id, "folders", "[/\"%s\"/]", folder));
                edges.add(new Edge(node(routeId), id, label, dashed));
            }
            case "http", "https" -> {
                String name = raw.contains("sophonsight.base-url") ? "SophonSight platform (open API)" : path(uri);
                String id = raw.contains("sophonsight.base-url") ? SOPHONSIGHT : "h_" + sanitize(name);
                places.put(id, new Place(id, "", "{{\"%s\"}}", name));
                edges.add(new Edge(node(routeId), id, label, dashed));
            }
            default -> {
                // beans, logs and the like stay inside the route
            }
        }
    }

    /** The table node of a sql: endpoint (and its arrow); null when the statement names no table. */
    private String table(String uri, String routeId, String label, boolean outgoing) {
        String body = uri.substring("sql:".length());
        Map<String, String> options = Map.of();
        Matcher tail = SQL_OPTIONS.matcher(body);
        if (tail.find()) {
            options = query(tail.group(1));
            body = body.substring(0, tail.start());
        }
        if (body.startsWith("classpath:")) {
            body = sqlFile(body.substring("classpath:".length()));
        }
        Matcher statement = SQL_TABLE.matcher(body);
        if (!statement.find()) {
            return null;
        }
        String verb = null;
        for (int group = 1; verb == null && group <= 5; group++) {
            verb = statement.group(group);
        }
        String name = statement.group(6).toLowerCase(Locale.ROOT);
        boolean hr = String.valueOf(options.get("dataSource")).contains("hrDataSource");
        String id = (hr ? "hr_" : "t_") + sanitize(name);
        places.put(id, new Place(id, hr ? "HR database" : "gateway database", "[(\"%s\")]", name));
        String edgeLabel = label != null ? label : verb.toLowerCase(Locale.ROOT);
        edges.add(outgoing ? new Edge(node(routeId), id, edgeLabel, label != null) : new Edge(id, node(routeId), edgeLabel, false));
        return id;
    }

    /** The statement of a {@code sql:classpath:} file (src/main/resources), without its {@code --} comment lines. */
    private static String sqlFile(String path) {
        try {
            return Files.readAllLines(Path.of("src/main/resources", path), StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.trim().startsWith("--")).reduce("", (a, b) -> a + b + "\n");
        } catch (IOException e) {
            return "";
        }
    }

    private Set<String> upstream(String routeId) {
        Set<String> result = new TreeSet<>();
        List<String> todo = new ArrayList<>(List.of(node(routeId)));
        while (!todo.isEmpty()) {
            String target = todo.remove(0);
            for (Edge edge : edges) {
                if (edge.to().equals(target) && edge.from().startsWith("r_") && result.add(routeOf(edge.from()))) {
                    todo.add(edge.from());
                }
            }
        }
        return result;
    }

    private String routeOf(String node) {
        return routes.keySet().stream().filter(id -> node(id).equals(node)).findFirst().orElse(node);
    }

    // ------------------------------------------------------------------ rendering
    /** The Mermaid code block {@value #DOCUMENT} shows between the flow-diagram markers. */
    public String mermaidBlock() {
        StringBuilder out = new StringBuilder("```mermaid\nflowchart LR\n");
        definitions.forEach((file, list) -> {
            out.append("  subgraph ").append(sanitize("f_" + file)).append("[\"").append(file).append("\"]\n");
            for (RouteDefinition definition : list) {
                String in = "in_" + sanitize(definition.getId());
                if (places.containsKey(in)) {
                    out.append("    ").append(render(places.get(in))).append('\n');
                }
                out.append("    ").append(node(definition.getId())).append("[\"").append(definition.getId()).append("\"]\n");
            }
            out.append("  end\n");
        });
        Map<String, List<Place>> groups = new TreeMap<>();
        places.values().stream().filter(p -> !p.id().startsWith("in_"))
                .forEach(p -> groups.computeIfAbsent(p.group(), g -> new ArrayList<>()).add(p));
        groups.forEach((group, members) -> {
            String indent = group.isEmpty() ? "  " : "    ";
            if (!group.isEmpty()) {
                out.append("  subgraph ").append(sanitize("g_" + group)).append("[\"").append(group).append("\"]\n");
            }
            members.forEach(p -> out.append(indent).append(render(p)).append('\n'));
            if (!group.isEmpty()) {
                out.append("  end\n");
            }
        });
        // one arrow per pair and style, naming every verb (e.g. "insert, update")
        Map<String, Set<String>> arrows = new TreeMap<>();
        for (Edge edge : edges) {
            String arrow = edge.from() + (edge.dashed() ? " -.->" : " -->") + "\n" + edge.to();
            Set<String> labels = arrows.computeIfAbsent(arrow, k -> new TreeSet<>());
            if (edge.label() != null) {
                labels.add(edge.label());
            }
        }
        arrows.forEach((arrow, labels) -> {
            String[] ends = arrow.split("\n");
            out.append("  ").append(ends[0]).append(labels.isEmpty() ? "" : "|" + String.join(", ", labels) + "|")
                    .append(' ').append(ends[1]).append('\n');
        });
        return out.append("```\n").toString();
    }

    /** The Markdown table of every route {@value #DOCUMENT} shows between the route-table markers. */
    public String routeTable() {
        StringBuilder out = new StringBuilder("| route id | flow file | started by | what it does | reaches |\n|---|---|---|---|---|\n");
        Map<String, List<String>> callers = new TreeMap<>();
        for (Edge edge : edges) {
            if (edge.from().startsWith("r_") && edge.to().startsWith("r_")) {
                callers.computeIfAbsent(edge.to(), k -> new ArrayList<>()).add("`" + routeOf(edge.from()) + "`");
            }
        }
        for (Route route : routes.values()) {
            String startedBy = route.startedBy() != null ? route.startedBy().contains("`") ? route.startedBy()
                    : "`" + route.startedBy() + "`"
                    : "`direct:" + route.direct() + "`" + (callers.containsKey(node(route.id()))
                    ? " from " + String.join(", ", new TreeSet<>(callers.get(node(route.id())))) : "");
            out.append("| `").append(route.id()).append("` | `").append(route.file().substring(FlowFiles.ROUTES.length() + 1))
                    .append("` | ").append(cell(startedBy)).append(" | ").append(cell(route.description()))
                    .append(" | ").append(cell(reaches(route.id()))).append(" |\n");
        }
        return out.toString();
    }

    /** The tables written, queues, folders and platform a route reaches, itself or through the routes it calls. */
    private String reaches(String routeId) {
        Set<String> seen = new TreeSet<>();
        List<String> todo = new ArrayList<>(List.of(node(routeId)));
        Map<String, Set<String>> found = new TreeMap<>();
        while (!todo.isEmpty()) {
            String from = todo.remove(0);
            if (!seen.add(from)) {
                continue;
            }
            for (Edge edge : edges) {
                if (!edge.from().equals(from)) {
                    continue;
                }
                if (edge.to().startsWith("r_")) {
                    todo.add(edge.to());
                    continue;
                }
                Place place = places.get(edge.to());
                if (place.id().startsWith("t_") || place.id().startsWith("hr_")) {
                    if (!"select".equals(edge.label())) {
                        found.computeIfAbsent(place.id().startsWith("hr_") ? "HR tables" : "tables", k -> new TreeSet<>())
                                .add(place.label());
                    }
                } else if (place.id().startsWith("q_")) {
                    found.computeIfAbsent("queues", k -> new TreeSet<>()).add(place.label());
                } else if (place.id().startsWith("d_")) {
                    found.computeIfAbsent("folders", k -> new TreeSet<>()).add(place.label());
                } else {
                    found.computeIfAbsent("platform", k -> new TreeSet<>()).add(place.label());
                }
            }
        }
        List<String> parts = new ArrayList<>();
        for (String kind : List.of("tables", "HR tables", "queues", "folders", "platform")) {
            if (found.containsKey(kind)) {
                parts.add("platform".equals(kind) ? String.join(", ", found.get(kind))
                        : kind + " `" + String.join("`, `", found.get(kind)) + "`");
            }
        }
        return parts.isEmpty() ? "-" : String.join("; ", parts);
    }

    /** Replaces the text between {@code begin} and {@code end} (markers kept); fails when a marker is missing. */
    public static String replaceBlock(String text, String begin, String end, String content) {
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalStateException("the document needs the markers " + begin + " and " + end);
        }
        return text.substring(0, from + begin.length()) + "\n" + content + text.substring(to);
    }

    /** The text between {@code begin} and {@code end}, or null without the markers. */
    public static String block(String text, String begin, String end) {
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        return from < 0 || to < from ? null : text.substring(from + begin.length() + 1, to);
    }

    // ------------------------------------------------------------------ helpers
    private static String render(Place place) {
        return place.id() + place.shape().formatted(place.label().replace("\"", "#quot;"));
    }

    private static String node(String routeId) {
        return "r_" + sanitize(routeId);
    }

    private static String sanitize(String text) {
        return text.replaceAll("[^A-Za-z0-9]+", "_").replaceAll("^_|_$", "");
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    private static String scheme(String uri) {
        int colon = uri.indexOf(':');
        return colon < 0 ? uri : uri.substring(0, colon);
    }

    /** The URI without scheme and options. */
    private static String path(String uri) {
        String rest = uri.substring(uri.indexOf(':') + 1);
        int query = rest.indexOf('?');
        return (query < 0 ? rest : rest.substring(0, query)).replaceFirst("^//", "");
    }

    private static Map<String, String> options(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? Map.of() : query(uri.substring(query + 1));
    }

    private static Map<String, String> query(String query) {
        Map<String, String> options = new TreeMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                String value = pair.substring(eq + 1);
                value = value.startsWith("RAW(") && value.endsWith(")") ? value.substring(4, value.length() - 1)
                        : URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
                options.put(pair.substring(0, eq), value);
            }
        }
        return options;
    }
}
