package io.sophonsight.gateway.visitors;

import java.util.Map;
import java.util.UUID;

import io.sophonsight.gateway.simulator.SimulatorFaults;
import io.sophonsight.gateway.simulator.SimulatorState;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Idempotency-Key} on {@code POST /api/visitors}: what a reception system that repeats a request after a
 * timeout gets back, and what it must not do with a key.
 */
class VisitorIdempotencyTest extends VisitorTestSupport {

    @Test
    void repeatedRequestWithTheSameKeyAnswersTheFirstRegistrationAndAddsNoSecondVisitor() {
        // Given a visitor posted once with an Idempotency-Key
        Map<String, Object> fields = visitor("Repeat Visitor", image("png", 31));
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
        Answer first = postJson(fields, key);
        assertThat(first.status()).isEqualTo(201);

        // When the client, having missed the answer, sends the same request with the same key
        Answer repeat = postJson(fields, key);

        // Then it gets the same registration, and the platform holds one visitor, added once
        assertThat(repeat.status()).isEqualTo(201);
        assertThat(repeat.body()).containsEntry("id", first.body().get("id")).containsEntry("status", "REGISTERED");
        assertThat(simulator.state().visitors()).hasSize(1);
        assertThat(simulator.state().calls(VISITOR_ADD)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM visitor_registration", Integer.class)).isEqualTo(1);
    }

    @Test
    void repeatWhileThePlatformIsDownAnswersTheSamePendingRegistration() {
        // Given the platform down, and a visitor accepted as pending with a key
        simulator.faults().add(new SimulatorFaults.Fault(SimulatorFaults.Mode.HTTP_ERROR, "/openapi/v1", 0, -1, 503, 0,
                null, 0, null, null));
        Map<String, Object> fields = visitor("Patient Repeat", image("png", 32));
        Map<String, String> key = Map.of("Idempotency-Key", "reception-desk-4711");
        Answer first = postJson(fields, key);
        assertThat(first.status()).isEqualTo(202);

        // When the client repeats the request
        Answer repeat = postJson(fields, key);

        // Then the same pending registration answers; no second one waits for the retry
        assertThat(repeat.status()).isEqualTo(202);
        assertThat(repeat.body()).containsEntry("id", first.body().get("id")).containsEntry("status", "PENDING");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM visitor_registration", Integer.class)).isEqualTo(1);

        // And once the platform is back, one retry registers the one visitor
        simulator.faults().clear();
        jdbc.update("UPDATE visitor_registration SET next_attempt_at = CURRENT_TIMESTAMP - INTERVAL '1' MINUTE");
        retryNow();
        assertThat(get((String) first.body().get("id")).body()).containsEntry("status", "REGISTERED");
        assertThat(simulator.state().visitors()).hasSize(1);
    }

    @Test
    void keyReusedForADifferentVisitorIsRefusedWith422() {
        // Given a key already used for one visitor
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
        assertThat(postJson(visitor("First Person", image("png", 33)), key).status()).isEqualTo(201);

        // When the same key comes with another visitor
        Answer reused = postJson(visitor("Second Person", image("png", 34)), key);

        // Then 422 with the reason, and the second visitor is not registered
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.body()).containsEntry("type", "urn:sophonsight-gateway:problem:idempotency-conflict")
                .containsEntry("status", 422);
        assertThat((String) reused.body().get("detail")).contains("already used for a different visitor");
        assertThat(simulator.state().visitors()).extracting(SimulatorState.Visitor::name).containsExactly("First Person");
    }

    @Test
    void malformedKeyIsRefusedWith400ForThatHeader() {
        // When the key is longer than 100 characters, Then 400 names the header
        Answer answer = postJson(visitor("Key Too Long", image("png", 35)), Map.of("Idempotency-Key", "k".repeat(101)));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().get("fields")).asString().contains("Idempotency-Key");
        assertThat(simulator.state().visitors()).isEmpty();
    }

    @Test
    void secondRequestWithTheKeyWhileTheFirstIsBeingStoredGets409() throws Exception {
        // Given a REST step (with the API's error configuration) whose insert the unique key refuses, as it
        // refuses the second of two requests with one key at the same moment
        String uri = "direct:idempotency-race-" + UUID.randomUUID();
        camelContext.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeConfigurationId("rest-api")
                        .throwException(new DuplicateKeyException("visitor_registration_idempotency_key_uq"));
            }
        });

        // When a request runs into it
        Exchange loser = producer.request(uri, exchange -> exchange.getMessage().setHeader("Idempotency-Key", "k"));

        // Then 409 as a problem: the client retries later and then gets the first request's registration
        assertThat(loser.getException()).isNull();
        assertThat(loser.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(409);
        assertThat(loser.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/problem+json");
        Map<String, Object> body = mapper.readValue(loser.getMessage().getBody(String.class), MAP);
        assertThat(body).containsEntry("status", 409).containsEntry("title", "Idempotency-Key conflict");
        assertThat((String) body.get("detail")).contains("being processed");
    }

    @Test
    void withoutAKeyEachRequestIsANewRegistration() {
        // Given the same visitor posted twice without a key (the documented default)
        Map<String, Object> fields = visitor("Twice Posted", image("png", 36));
        Answer first = postJson(fields);
        Answer second = postJson(fields);

        // Then there are two registrations: only a key ties a repeat to the first
        assertThat(first.body().get("id")).isNotEqualTo(second.body().get("id"));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM visitor_registration", Integer.class)).isEqualTo(2);
    }

}
