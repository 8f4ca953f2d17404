package io.sophonsight.gateway.push;

import java.util.LinkedHashMap;
import java.util.Map;

import io.sophonsight.gateway.common.FailureReason;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * The answers of the push receivers. The platform expects {@code {"status":0,"message":"SUCCESS"}};
 * refusals carry the HTTP status and the reason in the same shape. Request headers are not echoed.
 */
@Component("pushReplies")
public class PushReplies {

    public static final String SUCCESS = "{\"status\":0,\"message\":\"SUCCESS\"}";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The acknowledgement, sent once the push is committed. */
    public void success(Exchange exchange) {
        reply(exchange, 200, SUCCESS);
    }

    /** Prepares the dead-letter headers of a refused push; the body becomes the raw request. */
    public void deadLetter(Exchange exchange) {
        Message message = exchange.getMessage();
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String routeId = exchange.getFromRouteId();
        message.setHeader("DeadLetterFlow", routeId);
        message.setHeader("DeadLetterReason", FailureReason.text("rejected (" + status(cause) + "): " + (cause == null ? "?" : cause.getMessage())));
        message.setHeader("DeadLetterSource", message.getHeader(PushGuard.SOURCE));
        Object raw = exchange.getProperty(PushBodyReader.RAW_BODY);
        if (raw instanceof PushBody body) {
            body.finishQuietly(); // the rest is read and thrown away; the dead letter keeps the first bytes and the size
        }
        message.setBody(raw != null ? raw : "(body not read)");
    }

    /** The 4xx (or 5xx for an unexpected failure) answer with the reason, as JSON. */
    public void failure(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (exchange.getProperty(PushBodyReader.RAW_BODY) instanceof PushBody body) {
            body.finishQuietly(); // a body refused half-read: the caller still reads its answer on an intact connection
        }
        int status = status(cause);
        String reason = cause instanceof PushRejectedException rejected ? rejected.getReason()
                : "the gateway could not store the event; send it again";
        reply(exchange, status, json(status, reason));
        if (cause instanceof PushOverloadedException overloaded) {
            exchange.getMessage().setHeader("Retry-After", overloaded.getRetryAfterSeconds());
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

    private static void reply(Exchange exchange, int status, String json) {
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json;charset=UTF-8");
        message.setBody(json);
    }
}
