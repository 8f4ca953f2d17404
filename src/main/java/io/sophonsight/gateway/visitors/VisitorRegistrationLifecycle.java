package io.sophonsight.gateway.visitors;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.sophonsight.gateway.sophonsight.SophonSightBusinessException;
import io.sophonsight.gateway.sophonsight.SophonSightCallException;
import io.sophonsight.gateway.sophonsight.SophonSightUnavailableException;
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
 * This bean only computes values (column maps, times, reasons, the retry plan); the visitor routes decide the
 * status with {@code choice} steps, set every header their SQL (the files under {@code sql/visitor-*}) reads, and write.
 */
@Component("visitorLifecycle")
public class VisitorRegistrationLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(VisitorRegistrationLifecycle.class);

    public static final String PENDING = "PENDING";
    public static final String REGISTERED = "REGISTERED";
    public static final String REJECTED = "REJECTED";
    public static final String FAILED = "FAILED";
    public static final String UNCERTAIN = "UNCERTAIN";

    private static final String PIC_UPLOAD = "/openapi/v1/pic/upload";
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
     * The column values of a new registration (visitor-accept). It is PENDING and due at once; it must be on the
     * platform before its deadline: {@code give-up-after} from now, or the end of the visit if sooner.
     */
    public Map<String, Object> newRegistration(VisitorRequest request, String source, String sourceRef,
                                               String idempotencyKey, String requestDigest) {
        Instant now = clock.instant();
        Instant deadline = now.plus(giveUpAfter);
        if (request.endTime().isBefore(deadline)) {
            deadline = request.endTime();
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", UUID.randomUUID().toString());
        row.put("source", source == null ? "REST" : source);
        row.put("source_ref", sourceRef);
        row.put("idempotency_key", idempotencyKey);
        row.put("request_digest", requestDigest);
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
        return row;
    }

    /** The current time, as the registration's timestamp columns take it. */
    public OffsetDateTime now() {
        return VisitorTimes.toColumn(clock.instant());
    }

    /**
     * Until when an attempt claimed at {@code now} holds the registration: a concurrent retry run (or another
     * replica) leaves it alone; if the attempt dies, the claim expires and the registration becomes due again.
     */
    public OffsetDateTime leaseUntil(OffsetDateTime now) {
        return now.plus(lease);
    }

    /** The platform's photoId in the answer {@code data} of pic/upload; an answer without one is a failed attempt. */
    public String photoId(Object data) {
        Object photoId = data instanceof Map<?, ?> map ? map.get("photoId") : null;
        if (photoId == null || String.valueOf(photoId).isBlank()) {
            throw new SophonSightUnavailableException(PIC_UPLOAD, 200, "pic/upload answered without a photoId", null);
        }
        return String.valueOf(photoId);
    }

    /** The business fields of visitor/add for a registration row, times as epoch-ms numbers (docs/sophonsight-openapi.md §3.3). */
    public Map<String, Object> visitorFields(Map<String, Object> row, String photoId) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", row.get("name"));
        fields.put("startTime", VisitorTimes.fromColumn(row.get("visit_start")).toEpochMilli());
        fields.put("endTime", VisitorTimes.fromColumn(row.get("visit_end")).toEpochMilli());
        fields.put("photoId", photoId);
        fields.put("isNeedAudit", Boolean.TRUE.equals(row.get("needs_audit")));
        return fields;
    }

    /**
     * The columns an attempt writes with its outcome (visitors' record-outcome.sql); texts cut to the columns' 2000
     * characters.
     */
    public record Outcome(String status, String reason, Integer platformStatus, String platformMessage,
                          OffsetDateTime nextAttemptAt, OffsetDateTime registeredAt) {
        public Outcome {
            reason = truncate(reason);
            platformMessage = truncate(platformMessage);
        }
    }

    /** visitor/add succeeded at {@code at}. */
    public Outcome registered(OffsetDateTime at) {
        return new Outcome(REGISTERED, null, 0, null, null, at);
    }

    /** The platform refused the photo or the visitor: final, its message kept. */
    public Outcome rejected(SophonSightBusinessException e) {
        return new Outcome(REJECTED, "SophonSight refused the visitor (" + e.getPath() + ", status " + e.getStatus()
                + "): " + e.getPlatformMessage(), e.getStatus(), e.getPlatformMessage(), null, null);
    }

    /** visitor/add was sent but its answer was lost ({@code cause}: the lost answer's failure). */
    public Outcome uncertain(String cause) {
        return new Outcome(UNCERTAIN, uncertainReason(cause), null, null, null, null);
    }

    /** The kept photo cannot be read any more: nothing left to upload ({@code reason}: which file, why). */
    public Outcome photoLost(String reason) {
        return new Outcome(FAILED, reason, null, null, null, null);
    }

    /**
     * When a failed attempt may be followed by another: {@code deadlinePassed} once the registration's deadline is
     * reached, else {@code nextAttemptAt} after a doubling delay ({@link #retryDelay}), never after the deadline.
     */
    public record RetryPlan(boolean deadlinePassed, Instant deadline, OffsetDateTime nextAttemptAt) {
    }

    /** The retry plan after attempt number {@code attempts} of a registration due by {@code deadlineColumn}. */
    public RetryPlan retryPlan(int attempts, Object deadlineColumn) {
        Instant now = clock.instant();
        Instant deadline = VisitorTimes.fromColumn(deadlineColumn);
        Instant next = now.plus(retryDelay(attempts));
        if (next.isAfter(deadline)) {
            next = deadline;
        }
        return new RetryPlan(!now.isBefore(deadline), deadline, VisitorTimes.toColumn(next));
    }

    /**
     * The failure of an attempt in words: the platform call's own message, or the exception's type and message for
     * anything unexpected (logged with its stack trace, e.g. the platform answered HTTP 4xx to a misconfigured address).
     */
    public String failureCause(Exception e, String registrationId, int attempts) {
        if (!(e instanceof SophonSightUnavailableException)) {
            LOG.warn("Attempt {} of visitor registration {} failed unexpectedly", attempts, registrationId, e);
        }
        return e instanceof SophonSightCallException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** The platform stayed unreachable: another attempt at {@code next}. */
    public Outcome waiting(int attempts, String cause, OffsetDateTime next) {
        return new Outcome(PENDING, "waiting for the platform, attempt " + attempts + " failed: " + cause, null, null,
                next, null);
    }

    /** The platform stayed unreachable until the deadline: given up. */
    public Outcome gaveUp(int attempts, Instant deadline, String cause) {
        return new Outcome(FAILED, "gave up after " + attempts + " attempt(s): the platform stayed unreachable until "
                + deadline + " (last error: " + cause + ")", null, null, null, null);
    }

    /** Why a registration is UNCERTAIN, in words an operator can act on ({@code cause}: the lost answer's failure). */
    private static String uncertainReason(String cause) {
        return truncate("visitor/add was sent but its answer was lost (" + cause + "): the platform may or may not hold "
                + "the visitor, and sending it again could add a second one. Check the platform's visitor list, then "
                + "resolve this registration as registered or to be sent again");
    }

    /**
     * An operator's verdict on an UNCERTAIN registration ({@code onPlatform}: "true" the visitor is on the platform,
     * "false" it is not): REGISTERED, or PENDING to send it again; anything else is a 400.
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

    /** Delay before attempt n+1: the first retry delay, doubled per attempt, capped. */
    Duration retryDelay(int attemptsSoFar) {
        Duration delay = firstRetryDelay;
        for (int i = 1; i < attemptsSoFar && delay.compareTo(maxRetryDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxRetryDelay) > 0 ? maxRetryDelay : delay;
    }

    /**
     * The id of the request-table row a registration came from ({@code sourceRef}), typed as the row's id column is
     * most likely typed: a number when it is all digits, else text.
     */
    public Object requestRowId(String sourceRef) {
        return sourceRef != null && sourceRef.matches("-?\\d{1,18}") ? (Object) Long.valueOf(sourceRef) : sourceRef;
    }

    /** A text cut to the 2000 characters of the status and reason columns. */
    public String text(String text) {
        return truncate(text);
    }

    static String truncate(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
    }
}
