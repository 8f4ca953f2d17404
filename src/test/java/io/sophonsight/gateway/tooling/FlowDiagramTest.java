package io.sophonsight.gateway.tooling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * README's picture of the flows ({@link FlowDiagram}) is generated from the real route files: these tests
 * fail, printing the fresh text and the command that rewrites README, as soon as a route changes without it.
 */
class FlowDiagramTest {

    private static final Path PROJECT = Path.of(".");

    @Test
    void readmeShowsTheDiagramTheRouteFilesDrawNow() throws Exception {
        // Given README and the routes as they are
        String readme = Files.readString(PROJECT.resolve("README.md"));
        String fresh = new FlowDiagram(PROJECT).mermaidBlock();

        // Then README's diagram is exactly what the routes draw
        assertBlock(readme, FlowDiagram.DIAGRAM_BEGIN, FlowDiagram.DIAGRAM_END, fresh, "flow diagram");
    }

    @Test
    void readmeRouteTableDescribesExactlyTheRoutesOfRoutesFolder() throws Exception {
        // Given README and the routes as they are
        String readme = Files.readString(PROJECT.resolve("README.md"));
        String fresh = new FlowDiagram(PROJECT).routeTable();

        // Then README's route table is exactly the generated one (every route id, its description, what it reaches)
        assertBlock(readme, FlowDiagram.TABLE_BEGIN, FlowDiagram.TABLE_END, fresh, "route table");
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
        // gateway-alert, the fan-out writes access_record (table name read from push.sql.insert-record),
        // HR is read from the HR database, and platform calls go through sophonsight-call only
        assertThat(diagram.mermaidBlock())
                .contains("r_access_event_fanout --> r_gateway_alert", "r_gateway_alert --> q_gateway_alerts",
                        "r_access_event_fanout -->|insert| t_access_record", "r_hr_sync_run -->|select| hr_employee",
                        "r_hr_sync_record -.->|toD| r_hr_sync_person", "r_sophonsight_exchange --> sophonsight",
                        "in_access_record_push([\"POST /sophonsight/access-records\"])");
        // And a REST operation is drawn as what starts the route it calls
        assertThat(diagram.mermaidBlock()).contains("in_visitor_registration_post([\"POST /api/visitors\"])",
                "in_photo_download([\"GET /api/photos/{photoId}\"])", "in_dead_letter_replay_rest([\"POST /gateway/dead-letters/replay\"])");
        assertThat(diagram.mermaidBlock().lines().filter(line -> line.endsWith("--> sophonsight")))
                .containsExactly("  r_sophonsight_exchange --> sophonsight");
    }

    @Test
    void aChangedRouteMakesTheCheckFailUntilReadmeIsRegenerated(@TempDir Path copy) throws Exception {
        // Given a copy of the project whose blacklist lane also sends to a second queue
        copyProject(copy);
        Path fanout = copy.resolve("routes/access-event-fanout.camel.yaml");
        String route = Files.readString(fanout);
        String lane = "                  - to: direct:gateway-alert\n";
        assertThat(route).contains(lane);
        Files.writeString(fanout, route.replace(lane, lane + "                  - to: jms:queue:security.desk\n"));

        // When the diagram is generated again
        String fresh = new FlowDiagram(copy).mermaidBlock();
        String readme = Files.readString(copy.resolve("README.md"));

        // Then README's block no longer matches, and the new destination is drawn
        assertThat(FlowDiagram.block(readme, FlowDiagram.DIAGRAM_BEGIN, FlowDiagram.DIAGRAM_END)).isNotEqualTo(fresh);
        assertThat(fresh).contains("r_access_event_fanout --> q_security_desk", "q_security_desk>\"security.desk\"]");
        assertThat(new FlowDiagram(copy).routeTable()).contains("`gateway.visitors`, `security.desk`");

        // When the regenerate command runs (FlowDiagram.main rewrites README in place)
        FlowDiagram.main(new String[] {copy.toString()});

        // Then README shows the new picture and the rest of README is untouched
        String regenerated = Files.readString(copy.resolve("README.md"));
        assertThat(FlowDiagram.block(regenerated, FlowDiagram.DIAGRAM_BEGIN, FlowDiagram.DIAGRAM_END)).isEqualTo(fresh);
        assertThat(regenerated.substring(0, regenerated.indexOf(FlowDiagram.DIAGRAM_BEGIN)))
                .isEqualTo(readme.substring(0, readme.indexOf(FlowDiagram.DIAGRAM_BEGIN)));
    }

    static void assertBlock(String document, String begin, String end, String fresh, String what) {
        String current = FlowDiagram.block(document, begin, end);
        if (current == null) {
            fail("README.md has no " + what + " between " + begin + " and " + end);
        }
        if (!current.equals(fresh)) {
            fail("README.md's " + what + " differs from the routes. Regenerate it with\n    " + FlowDiagram.REGENERATE
                    + "\nor paste this between " + begin + " and " + end + ":\n" + fresh);
        }
    }

    private static List<String> routeIds(Path project) throws Exception {
        List<String> ids = new java.util.ArrayList<>();
        for (Path file : FlowFiles.routeFiles(project)) {
            DefaultCamelContext context = FlowFiles.load(file, FlowFiles.defaultProperties(project));
            // a REST operation's own route is drawn as what starts the route it calls
            context.getRouteDefinitions().stream().filter(route -> !route.isCreatedFromRest())
                    .map(RouteDefinition::getId).forEach(ids::add);
        }
        assertThat(ids).hasSizeGreaterThan(30);
        return ids;
    }

    private static void copyProject(Path target) throws IOException {
        Files.copy(PROJECT.resolve("README.md"), target.resolve("README.md"));
        Files.copy(PROJECT.resolve("application.yaml"), target.resolve("application.yaml"));
        Files.createDirectories(target.resolve("routes"));
        try (Stream<Path> files = Files.list(PROJECT.resolve("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve("routes").resolve(file.getFileName()));
            }
        }
    }
}
