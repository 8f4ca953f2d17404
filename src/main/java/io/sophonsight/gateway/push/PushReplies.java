package io.sophonsight.gateway.push;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Component;

/**
 * The answers of the push receivers. The platform expects {@code {"status":0,"message":"SUCCESS"}};
 * refusals carry the HTTP status and the reason in the same shape. The route sets them as the HTTP answer
 * (routes/push-receivers.camel.yaml, routes/error-handling.camel.yaml {@code push-receiver}).
 */
@Component("pushReplies")
public class PushReplies {

    /** The acknowledgement, sent once the push is committed. */
    public static final String SUCCESS = "{\"status\":0,\"message\":\"SUCCESS\"}";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * The answer to a push that failed.
     *
     * @param status            the HTTP status: the refusal's 4xx/503, or 500 when the push was not stored
     * @param json              {@code {"status":<status>,"message":<reason>}}
     * @param retryAfterSeconds the {@code Retry-After} of a 503 (in-flight budget), else null
     */
    public record Refusal(int status, String json, Long retryAfterSeconds) {
    }

    /** The answer to a push that failed with {@code cause}. */
    public Refusal refusal(Throwable cause) {
        int status = status(cause);
        String reason = cause instanceof PushRejectedException rejected ? rejected.getReason()
                : "the gateway could not store the event; send it again";
        return new Refusal(status, json(status, reason),
                cause instanceof PushOverloadedException overloaded ? overloaded.getRetryAfterSeconds() : null);
    }

    /**
     * What a dead letter keeps of a refused push: its raw bytes, or the first bytes and size of a body read as it
     * arrived ({@link PushBody}), whose rest is then read and thrown away.
     */
    public Object rawBody(Object raw) {
        finish(raw);
        return raw != null ? raw : "(body not read)";
    }

    /** Reads and throws away the rest of a body refused half-read: the caller then reads its answer on an intact connection. */
    public void finish(Object raw) {
        if (raw instanceof PushBody body) {
            body.finishQuietly();
        }
    }

    /** {@code {"status":<status>,"message":<reason>}}, the shape of every refusal. */
    static String json(int status, String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("message", reason);
        try {
            return MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            return "{\"status\":" + status + "}";
        }
    }

    private static int status(Throwable cause) {
        return cause instanceof PushRejectedException rejected ? rejected.getHttpStatus() : 500;
    }
}
