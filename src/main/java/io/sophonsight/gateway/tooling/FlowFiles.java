package io.sophonsight.gateway.tooling;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.function.Function;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesSource;
import org.apache.camel.support.PluginHelper;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.PropertySourcesPropertyResolver;
import org.springframework.core.io.FileSystemResource;

/**
 * Loads the project's own files the way the gateway reads them, without starting anything: the documents
 * of {@code application.yaml} and each {@code routes/*.camel.yaml} into its own unstarted
 * {@link DefaultCamelContext} (loading only builds the route model). Shared by the build-time tools
 * ({@link FlowValidator}, {@link FlowDiagram}).
 */
final class FlowFiles {

    static final String APPLICATION_YAML = "application.yaml";
    static final String ROUTES = "routes";

    private FlowFiles() {
    }

    /** The documents of application.yaml, the default document first (profile documents after it). */
    static List<PropertySource<?>> applicationYaml(Path projectDir) throws IOException {
        return new YamlPropertySourceLoader().load(APPLICATION_YAML,
                new FileSystemResource(projectDir.resolve(APPLICATION_YAML)));
    }

    /**
     * The values of application.yaml's default document (never the environment, profiles only when active), so what
     * is generated from the routes is the same on every machine; null for a key without a default.
     */
    static Function<String, String> defaultProperties(Path projectDir) throws IOException {
        MutablePropertySources sources = new MutablePropertySources();
        List<PropertySource<?>> documents = applicationYaml(projectDir);
        if (!documents.isEmpty()) {
            sources.addLast(documents.get(0));
        }
        PropertySourcesPropertyResolver resolver = new PropertySourcesPropertyResolver(sources);
        return key -> {
            try {
                return resolver.getProperty(key);
            } catch (IllegalArgumentException e) {
                return null; // ${VARIABLE} without a default: FlowValidator reports it
            }
        };
    }

    /** Every {@code routes/*.camel.yaml}, sorted by name. */
    static List<Path> routeFiles(Path projectDir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(projectDir.resolve(ROUTES), "*.camel.yaml")) {
            stream.forEach(files::add);
        }
        files.sort(Comparator.naturalOrder());
        return files;
    }

    /** {@code routes/<file name>}, as problems and diagrams name a route file. */
    static String displayName(Path routeFile) {
        return ROUTES + "/" + routeFile.getFileName();
    }

    /**
     * One route file loaded into a fresh, never started context whose {@code {{placeholders}}} resolve
     * through {@code properties} (null = unresolved).
     */
    static DefaultCamelContext load(Path routeFile, Function<String, String> properties) throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        context.setSourceLocationEnabled(true);
        context.getPropertiesComponent().addPropertiesSource(new PropertiesSource() {
            @Override
            public String getName() {
                return APPLICATION_YAML;
            }

            @Override
            public String getProperty(String name) {
                return properties.apply(name);
            }
        });
        PluginHelper.getRoutesLoader(context)
                .loadRoutes(PluginHelper.getResourceLoader(context).resolveResource("file:" + routeFile));
        return context;
    }

    /** Receives what {@link #walkModel} finds. */
    interface ModelVisitor {
        /** A route model object (route, step, expression, endpoint ...), each visited once. */
        void node(Object node);

        /** A text property of a model object, e.g. a URI, an expression or a bean reference. */
        default void text(Object node, String getter, String value) {
        }
    }

    /** Visits every route model object reachable from {@code root} through its getters, depth first. */
    static void walkModel(Object root, ModelVisitor visitor) {
        walkModel(root, visitor, new IdentityHashMap<>());
    }

    private static void walkModel(Object node, ModelVisitor visitor, IdentityHashMap<Object, Boolean> seen) {
        if (node == null || seen.put(node, Boolean.TRUE) != null) {
            return;
        }
        visitor.node(node);
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class || getter.getName().equals("getParent")
                    || getter.getName().equals("getRoute") || getter.getName().equals("getCamelContext")) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (value instanceof String text) {
                visitor.text(node, getter.getName(), text);
            } else if (value instanceof Collection<?> items) {
                // a copy: some getters of the model add to the very lists being walked (REST verbs)
                List.copyOf(items.stream().filter(java.util.Objects::nonNull).toList())
                        .forEach(item -> walkIfModel(item, visitor, seen));
            } else {
                walkIfModel(value, visitor, seen);
            }
        }
    }

    private static void walkIfModel(Object value, ModelVisitor visitor, IdentityHashMap<Object, Boolean> seen) {
        if (value != null && value.getClass().getName().startsWith("org.apache.camel.model")) {
            walkModel(value, visitor, seen);
        }
    }
}
