package io.sophonsight.gateway.visitors;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.sophonsight.gateway.sophonsight.SophonSightBusinessException;
import io.sophonsight.gateway.sophonsight.SophonSightCallException;
import io.sophonsight.gateway.sophonsight.SophonSightSigner;
import io.sophonsight.gateway.sophonsight.SophonSightUnavailableException;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The life of a visitor registration: what is written when it is accepted, when an attempt claims it,
 * and after each attempt. Statuses:
 * <ul>
 *   <li>{@code PENDING}: accepted, not on the platform yet (being sent, or waiting for the next retry)</li>
 *   <li>{@code REGISTERED}: the platform added the visitor</li>
 *   <li>{@code REJECTED}: the platform refused the visitor (business error); never retried</li>
 *   <li>{@code FAILED}: the gateway gave up (platform unreachable until the deadline, photo lost)</li>
 *   <li>{@code UNCERTAIN}: visitor/add was sent but its answer was lost; the platform may hold the visitor.
 *       Never sent again automatically (it would add a second visitor); an operator checks the platform and
 *       resolves it: REGISTERED, or PENDING to send it again</li>
 * </ul>
 * The routes write these values with the SQL of {@code visitors.sql.*}; this bean only decides them and
 * hands them over as headers, so the SQL stays readable and replaceable.
 */
@Component("visitorLifecycle")
public class VisitorRegistrationLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(VisitorRegistrationLifecycle.class);

    public static final String PENDING = "PENDING";
    public static final String REGISTERED = "REGISTERED";
    public static final String REJECTED = "REJECTED";
    public static final String FAILED = "FAILED";
    public static final String UNCERTAIN = "UNCERTAIN";

    /** Headers the routes and the SQL of {@code visitors.sql.*} use. */
    public static final String ID = "VisitorRegistrationId";
    public static final String SOURCE = "VisitorSource";
    public static final String SOURCE_REF = "VisitorSourceRef";
    public static final String NOW = "VisitorNow";
    public static final String LEASE_UNTIL = "VisitorLeaseUntil";
    public static final String PHOTO_ID = "VisitorPhotoId";
    public static final String STATUS = "VisitorStatus";
    public static final String STATUS_REASON = "VisitorStatusReason";
    public static final String PLATFORM_STATUS = "VisitorPlatformStatus";
    public static final String PLATFORM_MESSAGE = "VisitorPlatformMessage";
    public static final String NEXT_ATTEMPT_AT = "VisitorNextAttemptAt";
    public static final String REGISTERED_AT = "VisitorRegisteredAt";
    public static final String REQUEST_ID = "VisitorRequestId";
    public static final String REQUEST_STATUS = "VisitorRequestStatus";
    public static final String REQUEST_REASON = "VisitorRequestReason";

    private static final int MAX_TEXT = 2000;

    private final Duration firstRetryDelay;
    private final Duration maxRetryDelay;
    private final Duration giveUpAfter;
    private final Duration lease;
    private final Clock clock;

    @Autowired
    public VisitorRegistrationLifecycle(@Value("${visitors.retry.initial-delay-ms}") long firstRetryDelayMs,
                                        @Value("${visitors.retry.max-delay-ms}") long maxRetryDelayMs,
                                        @Value("${visitors.retry.give-up-after}") Duration giveUpAfter,
                                        @Value("${visitors.retry.lease}") Duration lease) {
        this(Duration.ofMillis(firstRetryDelayMs), Duration.ofMillis(maxRetryDelayMs), giveUpAfter, lease, Clock.systemUTC());
    }

    VisitorRegistrationLifecycle(Duration firstRetryDelay, Duration maxRetryDelay, Duration giveUpAfter, Duration lease,
                                 Clock clock) {
        this.firstRetryDelay = firstRetryDelay;
        this.maxRetryDelay = maxRetryDelay;
        this.giveUpAfter = giveUpAfter;
        this.lease = lease;
        this.clock = clock;
    }

    /**
     * Camel step of visitor-accept: the column values of a new registration (body: {@link VisitorRequest};
     * headers {@code VisitorSource}, {@code VisitorSourceRef}). It is PENDING and due at once; it must be
     * on the platform before its deadline: {@code give-up-after} from now, or the end of the visit if sooner.
     */
    public Map<String, Object> newRegistration(Exchange exchange) throws InvalidPayloadException {
        Message in = exchange.getMessage();
        VisitorRequest request = in.getMandatoryBody(VisitorRequest.class);
        Instant now = clock.instant();
        Instant deadline = now.plus(giveUpAfter);
        if (request.endTime().isBefore(deadline)) {
            deadline = request.endTime();
        }
        String id = UUID.randomUUID().toString();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("source", in.getHeader(SOURCE, "REST", String.class));
        row.put("source_ref", in.getHeader(SOURCE_REF, String.class));
        row.put("idempotency_key", in.getHeader(VisitorIdempotency.KEY, String.class));
        row.put("request_digest", in.getHeader(VisitorIdempotency.DIGEST, String.class));
        row.put("name", request.name());
        row.put("visit_start", VisitorTimes.toColumn(request.startTime()));
        row.put("visit_end", VisitorTimes.toColumn(request.endTime()));
        row.put("needs_audit", request.needsAudit());
        row.put("host_employee_id", request.hostEmployeeId());
        row.put("visit_reason", request.reason());
        row.put("photo", request.photo());
        row.put("photo_type", request.photoType());
        row.put("status", PENDING);
        row.put("next_attempt_at", VisitorTimes.toColumn(now));
        row.put("deadline_at", VisitorTimes.toColumn(deadline));
        row.put("created_at", VisitorTimes.toColumn(now));
        in.setHeader(ID, id);
        return row;
    }

    /**
     * Camel step before an attempt: the claim holds the registration for {@code lease}, so a concurrent
     * retry run (or another replica) leaves it alone; if the attempt dies, the claim expires and the
     * registration becomes due again.
     */
    public void claim(Exchange exchange) {
        Instant now = clock.instant();
        exchange.getMessage().setHeader(NOW, VisitorTimes.toColumn(now));
        exchange.getMessage().setHeader(LEASE_UNTIL, VisitorTimes.toColumn(now.plus(lease)));
    }

    /** Camel step after pic/upload: the platform's photoId, remembered so a retry does not upload again. */
    public void photoUploaded(Exchange exchange) {
        Object data = exchange.getMessage().getBody();
        Object photoId = data instanceof Map<?, ?> map ? map.get("photoId") : null;
        if (photoId == null || String.valueOf(photoId).isBlank()) {
            throw new SophonSightUnavailableException(exchange.getMessage().getHeader(SophonSightSigner.PATH_HEADER, String.class),
                    200, "pic/upload answered without a photoId", null);
        }
        exchange.getMessage().setHeader(PHOTO_ID, String.valueOf(photoId));
    }

    /** Camel step before visitor/add: the business fields, times as epoch-ms numbers (docs/sophonsight-openapi.md §3.3). */
    public Map<String, Object> visitorFields(Exchange exchange) throws InvalidPayloadException {
        Map<?, ?> row = exchange.getMessage().getMandatoryBody(Map.class);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", row.get("name"));
        fields.put("startTime", VisitorTimes.fromColumn(row.get("visit_start")).toEpochMilli());
        fields.put("endTime", VisitorTimes.fromColumn(row.get("visit_end")).toEpochMilli());
        fields.put("photoId", exchange.getMessage().getHeader(PHOTO_ID, String.class));
        fields.put("isNeedAudit", Boolean.TRUE.equals(row.get("needs_audit")));
        return fields;
    }

    /** Camel step after visitor/add succeeded. */
    public void registered(Exchange exchange) {
        outcome(exchange, REGISTERED, null, 0, null, null);
        exchange.getMessage().setHeader(REGISTERED_AT, exchange.getMessage().getHeader(NOW));
    }

    /** Camel step when the platform refused the photo or the visitor: final, its message kept. */
    public void rejected(Exchange exchange) {
        SophonSightBusinessException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, SophonSightBusinessException.class);
        outcome(exchange, REJECTED, "SophonSight refused the visitor (" + e.getPath() + ", status " + e.getStatus() + "): "
                + e.getPlatformMessage(), e.getStatus(), e.getPlatformMessage(), null);
    }

    /**
     * Camel step when the platform stayed unreachable through the call step's retries (or the attempt
     * failed otherwise, e.g. the platform answered HTTP 4xx to a misconfigured address): PENDING with the
     * next attempt after a doubling delay (never after the deadline), or FAILED once the deadline passed.
     */
    public void unavailable(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Map<?, ?> row = exchange.getProperty("VisitorRegistration", Map.class);
        Instant now = clock.instant();
        Instant deadline = VisitorTimes.fromColumn(row.get("deadline_at"));
        int attempts = ((Number) row.get("attempts")).intValue();
        String cause = e instanceof SophonSightCallException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
        if (!(e instanceof SophonSightUnavailableException)) {
            LOG.warn("Attempt {} of visitor registration {} failed unexpectedly", attempts, row.get("id"), e);
        }
        if (!now.isBefore(deadline)) {
            outcome(exchange, FAILED, "gave up after " + attempts + " attempt(s): the platform stayed unreachable until "
                    + deadline + " (last error: " + cause + ")", null, null, null);
            return;
        }
        Instant next = now.plus(retryDelay(attempts));
        if (next.isAfter(deadline)) {
            next = deadline;
        }
        outcome(exchange, PENDING, "waiting for the platform, attempt " + attempts + " failed: " + cause, null, null, next);
    }

    /** Why a registration is UNCERTAIN, in words an operator can act on ({@code cause}: the lost answer's failure). */
    public String uncertainReason(String cause) {
        return truncate("visitor/add was sent but its answer was lost (" + cause + "): the platform may or may not hold "
                + "the visitor, and sending it again could add a second one. Check the platform's visitor list, then "
                + "resolve this registration as registered or to be sent again");
    }

    /**
     * An operator's verdict on an UNCERTAIN registration ({@code onPlatform}: "true" the visitor is on the platform,
     * "false" it is not): REGISTERED, or PENDING to send it again.
     */
    public String resolvedStatus(String onPlatform) {
        if ("true".equalsIgnoreCase(onPlatform)) {
            return REGISTERED;
        }
        if ("false".equalsIgnoreCase(onPlatform)) {
            return PENDING;
        }
        throw VisitorValidationException.of("onPlatform", "must be true (the visitor is on the platform) or false "
                + "(it is not: send it again)");
    }

    /** The status reason an operator's resolution leaves on the registration. */
    public String resolvedReason(String status) {
        return REGISTERED.equals(status)
                ? "resolved by an operator: the visitor was found on the platform after a lost visitor/add answer"
                : "resolved by an operator: the visitor was not on the platform after a lost visitor/add answer; sent again";
    }

    /** Camel step when the kept photo cannot be read any more: nothing left to upload. */
    public void photoLost(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        outcome(exchange, FAILED, e.getMessage(), null, null, null);
    }

    /** Delay before attempt n+1: the first retry delay, doubled per attempt, capped. */
    Duration retryDelay(int attemptsSoFar) {
        Duration delay = firstRetryDelay;
        for (int i = 1; i < attemptsSoFar && delay.compareTo(maxRetryDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxRetryDelay) > 0 ? maxRetryDelay : delay;
    }

    /** Camel step: the current time for "due" queries. */
    public void now(Exchange exchange) {
        exchange.getMessage().setHeader(NOW, VisitorTimes.toColumn(clock.instant()));
    }

    /**
     * Camel step after a registration from the request table was attempted (body: the registration):
     * the request row's status ({@code DONE}, {@code PENDING}, {@code FAILED}) and reason as headers.
     */
    public void requestOutcome(Exchange exchange) throws InvalidPayloadException {
        Map<?, ?> registration = exchange.getMessage().getMandatoryBody(Map.class);
        String status = String.valueOf(registration.get("status"));
        String reason = (String) registration.get("status_reason");
        Message in = exchange.getMessage();
        String ref = (String) registration.get("source_ref");
        in.setHeader(REQUEST_ID, ref != null && ref.matches("-?\\d{1,18}") ? (Object) Long.valueOf(ref) : ref);
        in.setHeader(SOURCE_REF, ref);
        in.setHeader(ID, registration.get("id"));
        switch (status) {
            case REGISTERED -> {
                in.setHeader(REQUEST_STATUS, "DONE");
                in.setHeader(REQUEST_REASON, null);
            }
            case PENDING, UNCERTAIN -> {
                in.setHeader(REQUEST_STATUS, status);
                in.setHeader(REQUEST_REASON, truncate(reason));
            }
            default -> {
                in.setHeader(REQUEST_STATUS, FAILED);
                in.setHeader(REQUEST_REASON, truncate("registration " + registration.get("id") + " " + status + ": " + reason));
            }
        }
    }

    /** Camel step of the table entry: a registration that ended refused or failed fails the row's exchange. */
    public void failUnlessAccepted(Exchange exchange) throws InvalidPayloadException {
        requestOutcome(exchange);
        if (FAILED.equals(exchange.getMessage().getHeader(REQUEST_STATUS))) {
            throw new VisitorNotRegisteredException(exchange.getMessage().getHeader(REQUEST_REASON, String.class));
        }
    }

    private static void outcome(Exchange exchange, String status, String reason, Integer platformStatus,
                                String platformMessage, Instant nextAttempt) {
        // the platform call's error handler marked the exchange as handled/exhausted before visitor-register
        // caught the failure; it is an outcome now, so a later failure in the caller gets its own error handling
        exchange.getExchangeExtension().setErrorHandlerHandled(null);
        exchange.getExchangeExtension().setRedeliveryExhausted(false);
        exchange.getExchangeExtension().setFailureHandled(false);
        Message in = exchange.getMessage();
        in.setHeader(STATUS, status);
        in.setHeader(STATUS_REASON, truncate(reason));
        in.setHeader(PLATFORM_STATUS, platformStatus);
        in.setHeader(PLATFORM_MESSAGE, truncate(platformMessage));
        in.setHeader(NEXT_ATTEMPT_AT, VisitorTimes.toColumn(nextAttempt));
        in.setHeader(REGISTERED_AT, null);
    }

    static String truncate(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
    }
}
