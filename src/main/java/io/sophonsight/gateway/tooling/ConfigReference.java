package io.sophonsight.gateway.tooling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sophonsight.gateway.common.Text;

/**
 * The configuration reference, generated from {@code application.yaml} itself: every leaf key with its
 * default, its meaning (the comment lines right above it) and the environment variable that overrides
 * it, written to {@code docs/configuration.md}. Keys of the {@code dev} profile document (after
 * {@code ---}) are listed apart.
 *
 * <p>A value of the form {@code ${NAME:default}} names its own variable; any other key is overridden
 * through Spring Boot's relaxed binding ({@code camel.main.shutdown-timeout} -> {@code CAMEL_MAIN_SHUTDOWN_TIMEOUT}).
 * The file is read line by line because comments are part of the reference and YAML parsers drop them;
 * only the block style the project uses is understood (maps, plain/quoted scalars, folded {@code >-} and
 * literal {@code |} scalars, simple {@code -} lists).
 *
 * <p>Regenerate: {@code mvn -q compile exec:java@config-reference} ({@code ConfigReferenceTest} fails
 * while the file differs, and lists every leaf key without a comment).
 */
public final class ConfigReference {

    public static final String REGENERATE = "mvn -q compile exec:java@config-reference";
    public static final String DOCUMENT = "docs/configuration.md";
    private static final int MAX_DEFAULT = 80;
    private static final Pattern KEY = Pattern.compile("^( *)([^\\s#:-][^:#]*?|\"[^\"]+\"|'[^']+'):(?:\\s+(.*))?$");
    private static final Pattern ENV = Pattern.compile("^\\$\\{([A-Z][A-Z0-9_]*):");

    /** One leaf key of application.yaml. */
    public record Key(String name, String value, String comment, String profile, int line) {

        /** The variable named by {@code ${NAME:default}}, or null. */
        public String explicitVariable() {
            Matcher env = ENV.matcher(value);
            return env.find() && closingBrace(value) == value.length() - 1 ? env.group(1) : null;
        }

        /** The default in force without any environment variable. */
        public String defaultValue() {
            String variable = explicitVariable();
            return variable == null ? value : value.substring(variable.length() + 3, value.length() - 1);
        }

        /** The environment variable that overrides the key; null for the condition of a profile document. */
        public String variable() {
            String variable = explicitVariable();
            if (variable != null) {
                return variable;
            }
            return name.startsWith("spring.config.activate.") ? null
                    : name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        }
    }

    private final List<Key> keys;
    /** Key -> type, from the configuration metadata on the class path (the gateway's own, Spring Boot's, Camel's). */
    private final java.util.Map<String, String> types;

    public ConfigReference(Path projectDir) throws IOException {
        this.keys = parse(Files.readAllLines(projectDir.resolve(FlowFiles.APPLICATION_YAML)));
        this.types = metadataTypes();
    }

    /**
     * The types of {@code META-INF/spring-configuration-metadata.json} files: the gateway's is generated at compile time
     * from its {@code @ConfigurationProperties} classes, which also check those values at start-up.
     */
    static java.util.Map<String, String> metadataTypes() throws IOException {
        java.util.Map<String, String> types = new java.util.TreeMap<>();
        var resources = ConfigReference.class.getClassLoader().getResources("META-INF/spring-configuration-metadata.json");
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        while (resources.hasMoreElements()) {
            try (var in = resources.nextElement().openStream()) {
                json.readTree(in).path("properties").forEach(property -> {
                    String type = property.path("type").asText("");
                    if (!type.isEmpty()) {
                        types.putIfAbsent(property.path("name").asText(), simpleType(type));
                    }
                });
            }
        }
        return types;
    }

    /** {@code java.util.List<java.lang.String>} -> {@code List<String>}; nested classes by their own name. */
    static String simpleType(String type) {
        return type.replaceAll("\\b[a-z][\\w]*\\.", "").replaceAll("\\b\\w+\\$", "");
    }

    /** The type a key binds to, or "" (map entries, keys no class describes). */
    private String typeOf(String key) {
        return types.getOrDefault(key, "");
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        ConfigReference reference = new ConfigReference(dir);
        Path target = dir.resolve(DOCUMENT);
        String fresh = reference.markdown();
        if (Files.isRegularFile(target) && Files.readString(target).equals(fresh)) {
            System.out.println(DOCUMENT + " is up to date");
        } else {
            Files.createDirectories(target.getParent());
            Files.writeString(target, fresh);
            System.out.println(DOCUMENT + " regenerated from application.yaml");
        }
        reference.uncommented().forEach(key -> System.out.println(
                "application.yaml:" + key.line() + ": " + key.name() + " has no comment line above it"));
    }

    public List<Key> keys() {
        return keys;
    }

    /** Leaf keys without a comment line right above them. */
    public List<Key> uncommented() {
        return keys.stream().filter(key -> key.comment().isBlank()).toList();
    }

    // ------------------------------------------------------------------ parsing
    static List<Key> parse(List<String> lines) {
        List<Key> result = new ArrayList<>();
        Deque<String[]> parents = new ArrayDeque<>(); // {indent, name}
        List<String> comments = new ArrayList<>();
        String profile = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.trim();
            if (trimmed.equals("---")) {
                parents.clear();
                comments.clear();
                profile = profileOf(lines, i + 1);
                continue;
            }
            if (trimmed.isEmpty()) {
                comments.clear();
                continue;
            }
            if (trimmed.startsWith("#")) {
                comments.add(trimmed.replaceFirst("^#+\\s?", "").trim());
                continue;
            }
            Matcher key = KEY.matcher(line);
            if (!key.matches()) {
                throw new IllegalArgumentException("application.yaml:" + (i + 1) + ": cannot read '" + line
                        + "' (the reference understands block maps, scalars and simple lists)");
            }
            int indent = key.group(1).length();
            while (!parents.isEmpty() && Integer.parseInt(parents.peek()[0]) >= indent) {
                parents.pop();
            }
            String name = unquote(key.group(2).trim());
            String value = key.group(3) == null ? "" : stripComment(key.group(3).trim());
            StringBuilder path = new StringBuilder();
            parents.descendingIterator().forEachRemaining(p -> path.append(p[1]).append('.'));
            path.append(name);
            String comment = String.join(" ", comments);
            comments.clear();
            if (value.startsWith(">") || value.startsWith("|")) {
                StringBuilder text = new StringBuilder();
                int j = i + 1;
                while (j < lines.size() && (lines.get(j).isBlank() || indentOf(lines.get(j)) > indent)) {
                    text.append(text.isEmpty() ? "" : " ").append(lines.get(j).trim());
                    j++;
                }
                result.add(new Key(path.toString(), text.toString().trim(), comment, profile, i + 1));
                i = j - 1;
            } else if (value.isEmpty() && i + 1 < lines.size() && lines.get(i + 1).trim().startsWith("- ")) {
                List<String> items = new ArrayList<>();
                int j = i + 1;
                while (j < lines.size() && lines.get(j).trim().startsWith("- ")) {
                    items.add(unquote(lines.get(j).trim().substring(2).trim()));
                    j++;
                }
                result.add(new Key(path.toString(), String.join(",", items), comment, profile, i + 1));
                i = j - 1;
            } else if (value.isEmpty()) {
                parents.push(new String[] {String.valueOf(indent), name});
            } else {
                result.add(new Key(path.toString(), unquote(value), comment, profile, i + 1));
            }
        }
        return result;
    }

    /** The profile a document after {@code ---} activates (spring.config.activate.on-profile), else "profile". */
    private static String profileOf(List<String> lines, int from) {
        for (int i = from; i < lines.size() && !lines.get(i).trim().equals("---"); i++) {
            Matcher on = Pattern.compile("^\\s*on-profile:\\s*(\\S+)").matcher(lines.get(i));
            if (on.find()) {
                return unquote(on.group(1));
            }
        }
        return "profile";
    }

    private static int indentOf(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') {
            n++;
        }
        return n;
    }

    private static String stripComment(String value) {
        if (value.startsWith("\"") || value.startsWith("'")) {
            return value;
        }
        int hash = value.indexOf(" #");
        return hash < 0 ? value : value.substring(0, hash).trim();
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
            return value.substring(1, value.length() - 1).replace("''", "'");
        }
        return value;
    }

    /** Index of the brace closing the {@code ${} at 0, or -1. */
    private static int closingBrace(String value) {
        int depth = 0;
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------ rendering
    /** The whole of docs/configuration.md. */
    public String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("# Configuration reference\n\n")
                .append("<!-- Generated from application.yaml by ConfigReference; do not edit by hand: ")
                .append(REGENERATE).append(" -->\n\n")
                .append("Every key of `application.yaml` (read from the gateway's working directory), its default, what it\n")
                .append("is for (the comment above it in the file) and the environment variable that overrides it. A value\n")
                .append("written `${NAME:default}` names its own variable; any other key is overridden through Spring Boot's\n")
                .append("relaxed binding (upper case, `.` and `-` become `_`), marked *(relaxed)*. Defaults that refer to other\n")
                .append("keys (`${gateway.data-dir}`) follow them. Long defaults (SQL) are shortened here: the full text is in\n")
                .append("`application.yaml`. The type is the one the key binds to (configuration metadata): the gateway's own\n")
                .append("keys are checked at start-up against it and their limits, and a wrong value stops the start with\n")
                .append("one line per key. `ConfigReferenceTest` fails when this file and `application.yaml` differ, and\n")
                .append("when a key has no comment.\n\n## Default document\n\nRead on every start.\n");
        String section = null;
        String profile = null;
        boolean first = true;
        for (Key key : keys) {
            String top = key.name().contains(".") ? key.name().substring(0, key.name().indexOf('.')) : key.name();
            boolean newProfile = first || !Objects.equals(profile, key.profile());
            if (newProfile || !top.equals(section)) {
                if (newProfile && key.profile() != null) {
                    out.append("\n## Profile `").append(key.profile()).append("`\n\n")
                            .append("Only when the profile is active (`--spring.profiles.active=").append(key.profile())
                            .append("`, `SPRING_PROFILES_ACTIVE=").append(key.profile())
                            .append("`, `mvn spring-boot:run -Dspring-boot.run.profiles=").append(key.profile())
                            .append("`); these keys are added to, or override, the ones above.\n");
                }
                section = top;
                profile = key.profile();
                first = false;
                out.append("\n### `").append(top).append("`").append(key.profile() == null ? "" : " (" + key.profile() + " profile)")
                        .append("\n\n| key | type | default | environment variable | meaning |\n|---|---|---|---|---|\n");
            }
            String variable = key.variable() == null ? "-" // which document applies is not a setting
                    : key.explicitVariable() != null ? code(key.variable()) : code(key.variable()) + " *(relaxed)*";
            String type = typeOf(key.name());
            out.append("| ").append(code(key.name())).append(" | ").append(type.isEmpty() ? "" : code(type)).append(" | ")
                    .append(key.defaultValue().isEmpty() ? "*(empty)*"
                            : code(shorten(key.defaultValue()))).append(" | ").append(variable).append(" | ")
                    .append(cell(key.comment())).append(" |\n");
        }
        return out.toString();
    }

    private static String shorten(String value) {
        return Text.truncate(value.replaceAll("\\s+", " "), MAX_DEFAULT);
    }

    private static String code(String text) {
        String fence = text.contains("`") ? "``" : "`";
        String pad = text.contains("`") ? " " : "";
        return fence + pad + text.replace("|", "\\|") + pad + fence;
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
