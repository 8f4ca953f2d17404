package io.sophonsight.gateway.tooling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The picture of the flows in docs/flows/README.md ({@link FlowDiagram}) is generated from the real route files:
 * these tests fail, printing the fresh text and the command that rewrites that page, as soon as a route changes
 * without it. README's flow index, written by hand, must still name every route file, its page and its route ids.
 */
class FlowDiagramTest {

    private static final Path PROJECT = Path.of(".");
    private static final Pattern INDEX_ROW = Pattern.compile("^\\| `([a-z0-9-]+)\\.camel\\.yaml` \\|.*\\]\\((docs/[^)]+\\.md)\\) \\|$");

    @Test
    void flowsPageShowsTheDiagramTheRouteFilesDrawNow() throws Exception {
        // Given the flows page and the routes as they are
        String page = Files.readString(PROJECT.resolve(FlowDiagram.DOCUMENT));
        String fresh = new FlowDiagram(PROJECT).mermaidBlock();

        // Then the page's diagram is exactly what the routes draw
        assertBlock(page, FlowDiagram.DIAGRAM_BEGIN, FlowDiagram.DIAGRAM_END, fresh, "flow diagram");
    }

    @Test
    void flowsPageRouteTableDescribesExactlyTheRoutesOfRoutesFolder() throws Exception {
        // Given the flows page and the routes as they are
        String page = Files.readString(PROJECT.resolve(FlowDiagram.DOCUMENT));
        String fresh = new FlowDiagram(PROJECT).routeTable();

        // Then the page's route table is exactly the generated one (every route id, its description, what it reaches)
        assertBlock(page, FlowDiagram.TABLE_BEGIN, FlowDiagram.TABLE_END, fresh, "route table");
    }

    @Test
    void readmeFlowIndexLinksAnExistingPageForEveryRouteFileAndNamesItsRouteIds() throws Exception {
        // Given README's flow index (one row per route file: file, what it does, route ids, page)
        Map<String, String> rows = new TreeMap<>();
        Map<String, String> pages = new TreeMap<>();
        for (String line : Files.readAllLines(PROJECT.resolve("README.md"))) {
            Matcher row = INDEX_ROW.matcher(line);
            if (row.matches()) {
                rows.put(row.group(1), line);
                pages.put(row.group(1), row.group(2));
            }
        }

        // Then every file of routes/ has a row whose page exists and which names each of its route ids
        Map<String, List<String>> files = routeIdsByFile(PROJECT);
        assertThat(rows.keySet()).as("route files in README's flow index").isEqualTo(files.keySet());
        files.forEach((file, ids) -> {
            assertThat(PROJECT.resolve(pages.get(file))).as("page of " + file).isRegularFile();
            ids.forEach(id -> assertThat(rows.get(file)).as("README's index row of " + file).contains("`" + id + "`"));
        });
    }

    @Test
    void everyRouteIsDrawnWithWhereItsEventsGo() throws Exception {
        // Given the route ids the route files declare
        List<String> ids = routeIds(PROJECT);
        FlowDiagram diagram = new FlowDiagram(PROJECT);

        // Then each is a node of the diagram and a row of the table
        for (String id : ids) {
            String node = "r_" + id.replace('-', '_');
            assertThat(diagram.mermaidBlock()).as("node of " + id).contains(node + "[\"" + id + "\"]");
            assertThat(diagram.routeTable()).as("row of " + id).contains("| `" + id + "` |");
        }
        // And the places are derived from the routes: blacklist passes reach the alerts queue through
        // gateway-alert, the fan-out writes access_record (table name read from sql/access-event-fanout/insert-record.sql),
        // HR is read from the HR database, own-schema SQL files reach their tables, and platform calls go through
        // sophonsight-call only
        assertThat(diagram.mermaidBlock())
                .contains("r_access_event_fanout --> r_gateway_alert", "r_gateway_alert --> q_gateway_alerts",
                        "r_access_event_fanout -->|insert| t_access_record", "r_hr_sync_steps -->|select| hr_employee",
                        "r_hr_sync_record --> r_hr_sync_person", "r_sophonsight_exchange --> sophonsight",
                        // a sql:classpath: step is drawn as the table its file's statement names
                        "r_hr_sync_save_confirmed -->|merge| t_sync_state",
                        "in_access_record_push([\"POST /sophonsight/access-records\"])");
        // And a REST operation is drawn as what starts the route it calls
        assertThat(diagram.mermaidBlock()).contains("in_visitor_registration_post([\"POST /api/visitors\"])",
                "in_photo_download([\"GET /api/photos/{photoId}\"])", "in_dead_letter_replay_rest([\"POST /gateway/dead-letters/replay\"])");
        assertThat(diagram.mermaidBlock().lines().filter(line -> line.endsWith("--> sophonsight")))
                .containsExactly("  r_sophonsight_exchange --> sophonsight");
    }

    @Test
    void aChangedRouteMakesTheCheckFailUntilTheFlowsPageIsRegenerated(@TempDir Path copy) throws Exception {
        // Given a copy of the project whose blacklist lane also sends to a second queue
        copyProject(copy);
        Path fanout = copy.resolve("routes/access-event-fanout.camel.yaml");
        String route = Files.readString(fanout);
        String lane = "                  - to: direct:gateway-alert\n";
        assertThat(route).contains(lane);
        Files.writeString(fanout, route.replace(lane, lane + "                  - to: jms:queue:security.desk\n"));

        // When the diagram is generated again
        String fresh = new FlowDiagram(copy).mermaidBlock();
        String page = Files.readString(copy.resolve(FlowDiagram.DOCUMENT));

        // Then the page's block no longer matches, and the new destination is drawn
        assertThat(FlowDiagram.block(page, FlowDiagram.DIAGRAM_BEGIN, FlowDiagram.DIAGRAM_END)).isNotEqualTo(fresh);
        assertThat(fresh).contains("r_access_event_fanout --> q_security_desk", "q_security_desk>\"security.desk\"]");
        assertThat(new FlowDiagram(copy).routeTable()).contains("`gateway.visitors`, `security.desk`");

        // When the regenerate command runs (FlowDiagram.main rewrites the page in place)
        FlowDiagram.main(new String[] {copy.toString()});

        // Then the page shows the new picture and the rest of it is untouched
        String regenerated = Files.readString(copy.resolve(FlowDiagram.DOCUMENT));
        assertThat(FlowDiagram.block(regenerated, FlowDiagram.DIAGRAM_BEGIN, FlowDiagram.DIAGRAM_END)).isEqualTo(fresh);
        assertThat(regenerated.substring(0, regenerated.indexOf(FlowDiagram.DIAGRAM_BEGIN)))
                .isEqualTo(page.substring(0, page.indexOf(FlowDiagram.DIAGRAM_BEGIN)));
    }

    static void assertBlock(String document, String begin, String end, String fresh, String what) {
        String current = FlowDiagram.block(document, begin, end);
        if (current == null) {
            fail(FlowDiagram.DOCUMENT + " has no " + what + " between " + begin + " and " + end);
        }
        if (!current.equals(fresh)) {
            fail(FlowDiagram.DOCUMENT + "'s " + what + " differs from the routes. Regenerate it with\n    " + FlowDiagram.REGENERATE
                    + "\nor paste this between " + begin + " and " + end + ":\n" + fresh);
        }
    }

    private static List<String> routeIds(Path project) throws Exception {
        List<String> ids = routeIdsByFile(project).values().stream().flatMap(List::stream).toList();
        assertThat(ids).hasSizeGreaterThan(30);
        return ids;
    }

    /** Route ids per route file name without {@code .camel.yaml} (a file of route configurations only has none). */
    private static Map<String, List<String>> routeIdsByFile(Path project) throws Exception {
        Map<String, List<String>> ids = new TreeMap<>();
        for (Path file : FlowFiles.routeFiles(project)) {
            DefaultCamelContext context = FlowFiles.load(file, FlowFiles.defaultProperties(project));
            // a REST operation's own route is drawn as what starts the route it calls
            ids.put(file.getFileName().toString().replace(".camel.yaml", ""), context.getRouteDefinitions().stream()
                    .filter(route -> !route.isCreatedFromRest()).map(RouteDefinition::getId).toList());
        }
        return ids;
    }

    private static void copyProject(Path target) throws IOException {
        Files.createDirectories(target.resolve(FlowDiagram.DOCUMENT).getParent());
        Files.copy(PROJECT.resolve(FlowDiagram.DOCUMENT), target.resolve(FlowDiagram.DOCUMENT));
        Files.copy(PROJECT.resolve("application.yaml"), target.resolve("application.yaml"));
        Files.createDirectories(target.resolve("routes"));
        try (Stream<Path> files = Files.list(PROJECT.resolve("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve("routes").resolve(file.getFileName()));
            }
        }
    }
}
