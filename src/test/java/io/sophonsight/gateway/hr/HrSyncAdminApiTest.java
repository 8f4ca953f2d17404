package io.sophonsight.gateway.hr;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The operator's REST endpoints of the HR sync: start a run, read the status, confirm held deletes. */
class HrSyncAdminApiTest extends HrSyncTestSupport {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(adminRequest(path).method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void runStartedOverRestSyncsHrAndStatusReportsIt() throws Exception {
        // Given the sample HR and an empty platform
        // When an operator starts a full run over REST
        HttpResponse<String> started = send("POST", "/api/hr-sync/run?mode=full");

        // Then it is accepted at once, and the platform soon holds HR
        assertThat(started.statusCode()).isEqualTo(202);
        assertThat(started.body()).contains("\"started\":\"FULL\"").contains("\"dryRun\":false");
        await().atMost(Duration.ofSeconds(30)).until(() -> simulator.state().people().size() == 200
                && runs.active() == null);
        assertPlatformEqualsHr();

        // And the status endpoint reports the last run
        HttpResponse<String> status = send("GET", "/api/hr-sync/status");
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body()).contains("COMPLETED").contains("\"heldPersonDeletes\":0");
    }

    @Test
    void unknownModeIsRefusedWithAReason() throws Exception {
        HttpResponse<String> refused = send("POST", "/api/hr-sync/run?mode=everything");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.body()).contains("\"status\":400").contains("mode must be FULL or INCREMENTAL");
    }

    @Test
    void heldDeletesAreConfirmedOverRest() throws Exception {
        // Given a synced platform and an HR view that lost every person: the deletes are held
        run("FULL");
        hr.update("DELETE FROM employee");
        assertThat(run("FULL").getHeld()).isEqualTo(200);
        assertThat(send("GET", "/api/hr-sync/status").body()).contains("\"heldPersonDeletes\":200");

        // When an operator confirms over REST, Then the next full run deletes them
        HttpResponse<String> confirmed = send("POST", "/api/hr-sync/confirm-deletes");
        assertThat(confirmed.statusCode()).isEqualTo(200);
        assertThat(confirmed.body()).contains("Confirmed 200 person");
        assertThat(run("FULL").getDeleted()).isEqualTo(200);
        assertThat(simulator.state().people()).isEmpty();
    }
}
