package io.sophonsight.gateway.tooling;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.swagger.v3.oas.models.OpenAPI;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.openapi.BeanConfig;
import org.apache.camel.openapi.RestOpenApiReader;
import org.apache.camel.openapi.RestOpenApiSupport;

/**
 * The REST API's OpenAPI 3 document, generated from {@code routes/rest-api.camel.yaml} the way the running gateway
 * serves it at {@code GET /api/openapi.json} (camel-openapi-java's reader over the same REST definitions), with the
 * placeholders resolved from application.yaml's defaults. Checked in as {@code docs/openapi.json}, without
 * {@code servers} (the running gateway names itself from the request); {@code OpenApiDocumentTest} fails while the
 * routes and the checked-in document differ.
 *
 * <p>Regenerate: {@code mvn -q compile exec:java@openapi}.
 */
public final class OpenApiDocument {

    public static final String REGENERATE = "mvn -q compile exec:java@openapi";
    /** The checked-in document, relative to the project folder. */
    public static final String DOCUMENT = "docs/openapi.json";
    /** The route file holding the REST definitions. */
    public static final String REST_ROUTES = FlowFiles.ROUTES + "/rest-api.camel.yaml";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private OpenApiDocument() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        Path document = dir.resolve(DOCUMENT);
        String fresh = generate(dir);
        if (Files.isRegularFile(document) && Files.readString(document).equals(fresh)) {
            System.out.println(DOCUMENT + " is up to date");
        } else {
            Files.writeString(document, fresh);
            System.out.println(DOCUMENT + " regenerated from " + REST_ROUTES + " and application.yaml");
        }
    }

    /** The document as checked in: indented JSON, no {@code servers}, ending with a newline. */
    public static String generate(Path projectDir) throws Exception {
        return JSON.writeValueAsString(comparable(JSON.readTree(json(projectDir)))) + "\n";
    }

    /** A served or generated document without what depends on where it is served ({@code servers}). */
    public static JsonNode comparable(JsonNode document) {
        JsonNode copy = document.deepCopy();
        if (copy instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
            object.remove("servers");
        }
        return copy;
    }

    private static String json(Path projectDir) throws Exception {
        DefaultCamelContext context = FlowFiles.load(projectDir.resolve(REST_ROUTES),
                FlowFiles.defaultProperties(projectDir));
        try {
            BeanConfig config = new BeanConfig();
            new RestOpenApiSupport().initOpenApi(config, context.getRestConfiguration().getApiProperties());
            OpenAPI openApi = new RestOpenApiReader().read(context, context.getRestDefinitions(), config,
                    context.getName(), context.getClassResolver());
            // without vendor extensions (x-camelContextId), as the gateway serves it (restConfiguration apiVendorExtension false)
            openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> operation.setExtensions(null)));
            return RestOpenApiSupport.getJsonFromOpenAPIAsString(openApi, config);
        } finally {
            context.close();
        }
    }
}
