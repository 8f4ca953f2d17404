package io.sophonsight.gateway.tooling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * docs/openapi.json is generated from the REST definitions ({@link OpenApiDocument}): these tests fail, printing the
 * command that rewrites it, as soon as routes/rest-api.camel.yaml (or a path in application.yaml) changes without it.
 */
class OpenApiDocumentTest {

    private static final Path PROJECT = Path.of(".");

    @Test
    void checkedInDocumentIsTheOneTheRestDefinitionsDescribeNow() throws Exception {
        // Given the checked-in document and the routes as they are
        String checkedIn = Files.readString(PROJECT.resolve(OpenApiDocument.DOCUMENT));
        String fresh = OpenApiDocument.generate(PROJECT);

        // Then they are the same, byte for byte
        if (!checkedIn.equals(fresh)) {
            fail(OpenApiDocument.DOCUMENT + " differs from the REST definitions of " + OpenApiDocument.REST_ROUTES
                    + ". Regenerate it with\n    " + OpenApiDocument.REGENERATE + "\nand commit it.");
        }
    }

    @Test
    void documentNamesEveryOperationOfTheApiWithItsPathsFromApplicationYaml() throws Exception {
        String document = OpenApiDocument.generate(PROJECT);

        // Then every operation is there, under the paths application.yaml's placeholders give by default
        assertThat(document).contains("\"openapi\" : \"3.0.3\"", "\"/api/visitors\"", "\"/api/visitors/{id}\"",
                "\"/api/visitors/{id}/resolution\"", "\"/api/devices\"", "\"/api/photos/{photoId}\"",
                "\"/api/hr-sync/run\"", "\"/api/hr-sync/status\"", "\"/api/hr-sync/confirm-deletes\"",
                "\"/gateway/dead-letters/replay\"");
        assertThat(document).contains("\"registerVisitor\"", "\"getVisitorRegistration\"", "\"resolveVisitorRegistration\"",
                "\"listDevices\"", "\"getPhoto\"", "\"startHrSyncRun\"", "\"getHrSyncStatus\"", "\"confirmHrSyncDeletes\"",
                "\"replayDeadLetters\"");
        // And the two ways to send a key are its security schemes
        assertThat(document).contains("\"scheme\" : \"bearer\"", "\"name\" : \"X-Api-Key\"");
    }

    @Test
    void aChangedRestDefinitionMakesTheCheckFailUntilTheDocumentIsRegenerated(@TempDir Path copy) throws Exception {
        // Given a copy of the project whose device listing gets a query parameter
        copyProject(copy);
        Path rest = copy.resolve(OpenApiDocument.REST_ROUTES);
        String routes = Files.readString(rest);
        String listDevices = "      - id: listDevices\n";
        assertThat(routes).contains(listDevices);
        Files.writeString(rest, routes.replace(listDevices, listDevices
                + "        param:\n          - name: removed\n            type: query\n            dataType: boolean\n"));
        String before = Files.readString(copy.resolve(OpenApiDocument.DOCUMENT));

        // When the document is generated again, Then it differs from the checked-in one and shows the parameter
        String fresh = OpenApiDocument.generate(copy);
        assertThat(fresh).isNotEqualTo(before).contains("\"name\" : \"removed\"");

        // When the regenerate command runs, Then the checked-in document is the fresh one
        OpenApiDocument.main(new String[] {copy.toString()});
        assertThat(Files.readString(copy.resolve(OpenApiDocument.DOCUMENT))).isEqualTo(fresh);
    }

    private static void copyProject(Path target) throws IOException {
        Files.copy(PROJECT.resolve("application.yaml"), target.resolve("application.yaml"));
        Files.createDirectories(target.resolve("docs"));
        Files.copy(PROJECT.resolve(OpenApiDocument.DOCUMENT), target.resolve(OpenApiDocument.DOCUMENT));
        Files.createDirectories(target.resolve("routes"));
        try (Stream<Path> files = Files.list(PROJECT.resolve("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve("routes").resolve(file.getFileName()));
            }
        }
    }
}
