package io.sophonsight.gateway.reliability;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sophonsight.gateway.push.PushTestSupport;
import io.sophonsight.gateway.reliability.MalformedPushes.Input;
import io.sophonsight.gateway.reliability.MalformedPushes.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fuzzing both push receivers with generated malformed input (seeded, reproducible): random bytes,
 * truncations of the conformance samples, a field's value of another type, huge numbers, unicode and
 * invalid UTF-8, deep nesting, empty bodies, arrays and null, huge strings under and over the size
 * limit. Proves: never a 5xx and never an unanswered request; each refusal is a 4xx with exactly one
 * dead letter; an input that happens to be a valid event is acknowledged and then fanned out like any
 * other (never stuck or given up); the receivers serve a valid push afterwards.
 *
 * <p>Sizes: {@code -Dreliability.malformed=1000} inputs (default), {@code -Dreliability.malformed.oversize=2}
 * bodies over the 16 MB limit, {@code -Dreliability.malformed.clients=4} pushing at once,
 * {@code -Dreliability.seed=…} another reproducible set.
 */
class MalformedPushFuzzTest extends PushTestSupport {

    private static final String PUSH_FLOWS = "flow IN ('access-record-push', 'device-status-push')";

    private final ObjectMapper mapper = new ObjectMapper();
    private final AtomicLong unique = new AtomicLong(System.currentTimeMillis() - Duration.ofDays(2).toMillis());

    @Test
    void malformedPushesAreRefusedWithA4xxAndADeadLetterEachNeverA5xx() throws Exception {
        // Given a reproducible set of malformed inputs for both endpoints, built from the conformance samples
        int count = ReliabilityReport.size("reliability.malformed", 1000);
        int oversize = ReliabilityReport.size("reliability.malformed.oversize", 2);
        long seed = Long.getLong("reliability.seed", 20261128L);
        MalformedPushes generator = new MalformedPushes(seed,
                Map.of(ACCESS_PATH, samples("access-platform-minimal.json", "access-platform-full.json",
                                "access-platform-blacklist.json", "access-box-employee.json", "access-box-stranger.json"),
                        DEVICE_PATH, samples("device-status-online.json", "device-status-offline.json")),
                Map.of(ACCESS_PATH, this::ownPersonAndTime, DEVICE_PATH, this::ownDevice),
                17L * 1024 * 1024);
        List<Input> inputs = generator.generate(count, oversize);
        int deadLettersBefore = count("SELECT COUNT(*) FROM dead_letter WHERE " + PUSH_FLOWS);
        long lastEventBefore = jdbc.queryForObject("SELECT COALESCE(MAX(id), 0) FROM access_event", Long.class);

        // When each is pushed with the right key (by a few clients at once, as a platform does)
        long started = System.nanoTime();
        // (the bodies over the size limit one at a time, after the others: each is megabytes)
        List<Answer> answers = new java.util.ArrayList<>(pushAll(inputs.subList(0, count),
                ReliabilityReport.size("reliability.malformed.clients", 4)));
        answers.addAll(pushAll(inputs.subList(count, inputs.size()), 1));
        Map<Kind, Map<String, Integer>> outcomes = new EnumMap<>(Kind.class);
        Map<Integer, Integer> byStatus = new TreeMap<>();
        Map<String, Integer> acceptedByEndpoint = new LinkedHashMap<>(Map.of(ACCESS_PATH, 0, DEVICE_PATH, 0));
        Map<Integer, String> serverErrors = new LinkedHashMap<>();
        int rejected = 0;
        for (Input input : inputs) {
            Answer answer = answers.get(input.index());
            String outcome;
            if (answer.error() != null && input.kind() == MalformedPushes.Kind.OVER_SIZE_LIMIT) {
                // a body over the limit is refused (413 + dead letter) but never drained: a client still sending when
                // the answer comes may see the connection closed instead (README, Security: body limits)
                rejected++;
                outcome = "413, connection closed while sending";
            } else if (answer.error() != null) {
                serverErrors.put(input.index(), "no answer: " + answer.error());
                outcome = "no answer";
            } else {
                byStatus.merge(answer.status(), 1, Integer::sum);
                if (answer.status() == 200) {
                    assertThat(answer.body()).as("input %d", input.index()).contains("SUCCESS");
                    acceptedByEndpoint.merge(input.path(), 1, Integer::sum);
                    outcome = "accepted";
                } else if (answer.status() >= 400 && answer.status() < 500) {
                    assertThat(mapper.readTree(answer.body()).path("message").asText()).as("reason of input %d", input.index())
                            .isNotBlank();
                    rejected++;
                    outcome = Integer.toString(answer.status());
                } else {
                    serverErrors.put(input.index(), answer.status() + " " + answer.body());
                    outcome = "5xx";
                }
            }
            outcomes.computeIfAbsent(input.kind(), k -> new LinkedHashMap<>()).merge(outcome, 1, Integer::sum);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

        // Then no input got a 5xx or no answer at all
        assertThat(serverErrors.size()).as("inputs answered 5xx or not at all (seed %d), the first: %s", seed,
                serverErrors.entrySet().stream().limit(10).toList()).isZero();

        // And every refusal left exactly one dead letter
        int deadLetters = count("SELECT COUNT(*) FROM dead_letter WHERE " + PUSH_FLOWS) - deadLettersBefore;
        assertThat(deadLetters).isEqualTo(rejected);

        // And the access events that were valid after all are fanned out like any other: none stuck, none given up
        await("fan-out of the accepted inputs").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> count("SELECT COUNT(*) FROM access_event WHERE id > ? AND fanout_status = 'PENDING'",
                        lastEventBefore) == 0);
        int acceptedEvents = count("SELECT COUNT(*) FROM access_event WHERE id > ?", lastEventBefore);
        int recorded = count("SELECT COUNT(*) FROM access_record WHERE event_id > ?", lastEventBefore);
        List<String> givenUp = jdbc.queryForList("SELECT last_error FROM access_event WHERE id > ? AND fanout_status = 'DEAD'",
                String.class, lastEventBefore);
        assertThat(givenUp).as("accepted events the fan-out gave up on").isEmpty();
        assertThat(recorded).isEqualTo(acceptedEvents);

        // And both receivers still serve a valid push
        assertThat(push(ACCESS_PATH, mapper.writeValueAsBytes(ownPersonAndTime(
                (ObjectNode) mapper.readTree(sample("access-platform-minimal.json"))))).statusCode()).isEqualTo(200);
        assertThat(push(DEVICE_PATH, mapper.writeValueAsBytes(ownDevice(
                (ObjectNode) mapper.readTree(sample("device-status-online.json"))))).statusCode()).isEqualTo(200);

        report(count, oversize, seed, inputs, outcomes, byStatus, acceptedByEndpoint, rejected, deadLetters,
                acceptedEvents, recorded, serverErrors.size(), elapsed);
    }

    private void report(int count, int oversize, long seed, List<Input> inputs, Map<Kind, Map<String, Integer>> outcomes,
                        Map<Integer, Integer> byStatus, Map<String, Integer> acceptedByEndpoint, int rejected,
                        int deadLetters, int acceptedEvents, int recorded, int serverErrors, Duration elapsed) {
        ReliabilityReport report = ReliabilityReport.of("MalformedPushFuzzTest", "Malformed pushes",
                        "Generated malformed bodies against both push receivers: no 5xx, each refusal a 4xx with its dead "
                                + "letter, inputs that are valid events after all acknowledged and fanned out.")
                .table("input class", "inputs", "accepted (200)", "400", "413", "5xx / no answer");
        for (Kind kind : Kind.values()) {
            Map<String, Integer> o = outcomes.getOrDefault(kind, Map.of());
            report.row(kind.description, o.values().stream().mapToInt(Integer::intValue).sum(), o.getOrDefault("accepted", 0),
                    o.getOrDefault("400", 0), o.getOrDefault("413", 0), o.getOrDefault("5xx", 0) + o.getOrDefault("no answer", 0));
        }
        report.table("figure", "value")
                .row("inputs (access-records / device-status)", inputs.size() + " (" + inputs.stream()
                        .filter(i -> i.path().equals(ACCESS_PATH)).count() + " / " + inputs.stream()
                        .filter(i -> i.path().equals(DEVICE_PATH)).count() + ")")
                .row("answers per HTTP status", byStatus.toString())
                .row("rejected (4xx)", rejected)
                .row("dead letters written for them", deadLetters)
                .row("accepted: access records / device reports", acceptedByEndpoint.get(ACCESS_PATH) + " / "
                        + acceptedByEndpoint.get(DEVICE_PATH))
                .row("accepted access events fanned out to access_record", recorded + " of " + acceptedEvents)
                .row("5xx or no answer", serverErrors)
                .row("time for all inputs", elapsed)
                .note("Seed " + seed + ", " + count + " inputs + " + oversize + " bodies of 17 MB "
                        + "(`-Dreliability.seed`, `-Dreliability.malformed`, `-Dreliability.malformed.oversize`).");
        report.write();
    }

    /** The answer to one input: HTTP status and body, or the error when there was no answer at all. */
    private record Answer(int status, String body, String error) { }

    /** Pushes every input, {@code clients} at a time; the answers in the order of the inputs. */
    private List<Answer> pushAll(List<Input> inputs, int clients) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Answer>> futures = new java.util.ArrayList<>();
            for (Input input : inputs) {
                futures.add(pool.submit(() -> {
                    try {
                        HttpResponse<String> reply = push(input.path(), input.body());
                        return new Answer(reply.statusCode(), reply.body(), null);
                    } catch (UncheckedIOException e) {
                        return new Answer(0, null, String.valueOf(e.getCause()));
                    }
                }));
            }
            List<Answer> answers = new java.util.ArrayList<>();
            for (Future<Answer> future : futures) {
                answers.add(future.get(5, TimeUnit.MINUTES));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private List<JsonNode> samples(String... names) throws Exception {
        List<JsonNode> nodes = new java.util.ArrayList<>();
        for (String name : names) {
            nodes.add(mapper.readTree(sample(name)));
        }
        return nodes;
    }

    /** A copy of an access-record sample with a person and pass time of its own, so a valid input is a new event. */
    private ObjectNode ownPersonAndTime(ObjectNode sample) {
        long n = unique.incrementAndGet();
        for (String person : new String[]{"userId", "identity_id"}) {
            if (sample.has(person)) {
                sample.put(person, "FUZZ-" + n);
            }
        }
        sample.put(sample.has("timestamp") ? "timestamp" : "crossTime", n);
        return sample;
    }

    /** A copy of a device-status sample for a device of its own, so other tests' devices are never touched. */
    private ObjectNode ownDevice(ObjectNode sample) {
        long n = unique.incrementAndGet();
        sample.put("deviceId", "FUZZ-BOX-" + n);
        sample.put("timeStamp", n);
        return sample;
    }

}
