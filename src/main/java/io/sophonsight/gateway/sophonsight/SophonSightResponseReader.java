package io.sophonsight.gateway.sophonsight;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sophonsight.gateway.photos.PhotoContent;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * Reads the platform's answer (docs/sophonsight-openapi.md §2) and decides what kind of outcome it is:
 * the envelope's {@code data}, a business refusal, or an unavailable platform.
 */
@Component("sophonSightResponseReader")
public class SophonSightResponseReader {

    private static final String DOWNLOAD_PATH = "/openapi/v1/pic/download";

    private final ObjectMapper mapper;

    public SophonSightResponseReader(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Camel step after the HTTP call: body becomes {@code data} (Map, List, scalar or null), or image bytes. */
    public void read(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        String path = in.getHeader(SophonSightSigner.PATH_HEADER, String.class);
        int httpStatus = in.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        byte[] body = in.getBody(byte[].class);
        if (body == null) {
            body = new byte[0];
        }
        if (httpStatus >= 500 || httpStatus == 429 || httpStatus == 408) {
            throw new SophonSightUnavailableException(path, httpStatus, "HTTP " + httpStatus, null);
        }
        if (httpStatus >= 400) {
            throw new SophonSightCallException(path, httpStatus,
                    "SophonSight answered HTTP " + httpStatus + " for " + path + ": " + excerpt(body), null);
        }
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, "", String.class).toLowerCase();
        if (!looksLikeJson(contentType, body)) {
            // pic/download answers with "a file stream", content type undocumented (image/*, octet-stream,
            // text/plain and none are seen): the bytes decide, whatever the header says
            if (PhotoContent.sniff(body) != null) {
                in.setBody(body);
                return;
            }
            if (DOWNLOAD_PATH.equals(path)) {
                throw new SophonSightCallException(path, httpStatus, "pic/download answered " + body.length + " bytes ("
                        + (contentType.isEmpty() ? "no content type" : contentType) + ") that are neither the JSON envelope "
                        + "nor an image (JPEG, PNG, GIF, WebP, BMP): " + excerpt(body), null);
            }
            throw new SophonSightUnavailableException(path, httpStatus,
                    "answer is not the platform's JSON envelope (" + contentType + "): " + excerpt(body), null);
        }
        // read once into plain values (Map/List/scalars): a tree first and then a copy of its data cost a second walk
        Object envelope;
        try {
            envelope = mapper.readValue(body, Object.class);
        } catch (IOException e) {
            throw new SophonSightUnavailableException(path, httpStatus, "malformed JSON answer: " + excerpt(body), e);
        }
        Integer code = envelope instanceof Map<?, ?> fields ? statusCode(fields.get("status")) : null;
        if (code == null) {
            throw new SophonSightUnavailableException(path, httpStatus, "answer has no envelope status: " + excerpt(body), null);
        }
        Map<?, ?> fields = (Map<?, ?>) envelope;
        if (code != 0) {
            Object message = fields.get("message");
            throw new SophonSightBusinessException(path, code, message == null ? "" : message.toString());
        }
        in.setBody(fields.get("data"));
    }

    /** Camel step for transport failures (connection refused, timeouts, broken connections). */
    public void unreachable(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String path = exchange.getMessage().getHeader(SophonSightSigner.PATH_HEADER, String.class);
        String reason = cause == null ? "unknown transport failure"
                : cause.getClass().getSimpleName() + ": " + SophonSightToken.maskInText(cause.getMessage());
        throw new SophonSightUnavailableException(path, -1, reason, cause);
    }

    /**
     * Whether a transport failure happened before the request left the gateway (connection refused, connect
     * timeout, no pooled connection in time, unknown host, TLS handshake): then the platform certainly did not
     * apply it. Any other failure (broken connection, response timeout) may come after the platform applied it.
     */
    public boolean neverSent(Exception failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
                    || t instanceof java.net.NoRouteToHostException || t instanceof javax.net.ssl.SSLHandshakeException
                    || t instanceof org.apache.hc.client5.http.ConnectTimeoutException
                    || t instanceof org.apache.hc.core5.http.ConnectionRequestTimeoutException
                    || t instanceof org.apache.hc.client5.http.UnsupportedSchemeException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Camel step when the request was sent but its answer never came ({@code cause}: the transport failure) or a
     * proxy answered 504 ({@code httpStatus}): the typed failure, which the call step retries unless the caller
     * said a repeat could create something twice.
     */
    public void answerLost(String path, Integer httpStatus, Exception cause) {
        if (httpStatus != null) { // an answer came (504): any exception seen here is an older one of the caller's
            throw new SophonSightAnswerLostException(path, httpStatus, "HTTP " + httpStatus, null);
        }
        String reason = cause == null ? "no answer"
                : cause.getClass().getSimpleName() + ": " + SophonSightToken.maskInText(cause.getMessage());
        throw new SophonSightAnswerLostException(path, -1, reason, cause);
    }

    /**
     * Camel step of {@code sophonsight-call}: rethrows the failure of the attempts with the error-handler
     * marks cleared, so the calling flow's own onException / routeConfiguration handles it like any
     * other failure of one of its steps (instead of treating it as already handled and exhausted).
     */
    public void rethrowToCaller(Exchange exchange) throws Exception {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
        exchange.removeProperty(Exchange.FAILURE_ENDPOINT);
        exchange.removeProperty(Exchange.FAILURE_ROUTE_ID);
        exchange.getExchangeExtension().setRedeliveryExhausted(false);
        exchange.getExchangeExtension().setFailureHandled(false);
        exchange.getExchangeExtension().setErrorHandlerHandled(null);
        exchange.getMessage().removeHeaders("CamelRedelivery*");
        throw failure == null ? new IllegalStateException("SophonSight call failed without an exception") : failure;
    }

    /** The envelope's status as a number (the platform sends 0 or "0"); null when it is missing or not a whole number. */
    private static Integer statusCode(Object status) {
        if (status instanceof Integer || status instanceof Long || status instanceof Short || status instanceof java.math.BigInteger) {
            long value = ((Number) status).longValue();
            return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE ? (int) value : null;
        }
        if (status instanceof Number number) { // 0.0: a whole number written as a decimal, as canConvertToInt accepted
            double value = number.doubleValue();
            return value == Math.rint(value) && Math.abs(value) <= Integer.MAX_VALUE ? (int) value : null;
        }
        if (status instanceof String text && text.matches("-?\\d+")) {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static boolean looksLikeJson(String contentType, byte[] body) {
        if (contentType.contains("json")) {
            return true;
        }
        for (byte b : body) {
            if (!Character.isWhitespace(b)) {
                return b == '{';
            }
        }
        return false;
    }

    private static String excerpt(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        return SophonSightToken.maskInText(text.replaceAll("\\s+", " "));
    }
}
