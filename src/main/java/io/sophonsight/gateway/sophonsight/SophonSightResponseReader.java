package io.sophonsight.gateway.sophonsight;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.sophonsight.gateway.common.ImageType;
import io.sophonsight.gateway.common.FailureReason;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    /**
     * The platform's answer to {@code path} ({@code httpStatus}, {@code contentType}, the raw {@code body}) as
     * the envelope's {@code data} (Map, List, scalar or null), or image bytes; a refusal or an unusable answer
     * is thrown as its typed failure.
     */
    public Object read(String path, Integer httpStatus, String contentType, byte[] body) throws IOException {
        int status = httpStatus == null ? 0 : httpStatus;
        byte[] bytes = body == null ? new byte[0] : body;
        if (status >= 500 || status == 429 || status == 408) {
            throw new SophonSightUnavailableException(path, status, "HTTP " + status, null);
        }
        if (status >= 400) {
            throw new SophonSightCallException(path, status,
                    "SophonSight answered HTTP " + status + " for " + path + ": " + excerpt(bytes), null);
        }
        String type = contentType == null ? "" : contentType.toLowerCase();
        if (!looksLikeJson(type, bytes)) {
            // pic/download answers with "a file stream", content type undocumented (image/*, octet-stream,
            // text/plain and none are seen): the bytes decide, whatever the header says
            if (ImageType.sniff(bytes) != null) {
                return bytes;
            }
            if (DOWNLOAD_PATH.equals(path)) {
                throw new SophonSightCallException(path, status, "pic/download answered " + bytes.length + " bytes ("
                        + (type.isEmpty() ? "no content type" : type) + ") that are neither the JSON envelope "
                        + "nor an image (JPEG, PNG, GIF, WebP, BMP): " + excerpt(bytes), null);
            }
            throw new SophonSightUnavailableException(path, status,
                    "answer is not the platform's JSON envelope (" + type + "): " + excerpt(bytes), null);
        }
        Object envelope;
        try {
            // plain values in one pass (no tree, no second copy of data): the answer is read once per call
            envelope = mapper.readValue(bytes, Object.class);
        } catch (IOException e) {
            throw new SophonSightUnavailableException(path, status, "malformed JSON answer: " + excerpt(bytes), e);
        }
        Integer code = envelope instanceof Map<?, ?> fields ? statusCode(fields.get("status")) : null;
        if (code == null) {
            throw new SophonSightUnavailableException(path, status, "answer has no envelope status: " + excerpt(bytes), null);
        }
        Map<?, ?> fields = (Map<?, ?>) envelope;
        if (code != 0) {
            Object message = fields.get("message");
            throw new SophonSightBusinessException(path, code, message == null ? "" : String.valueOf(message));
        }
        return fields.get("data");
    }

    /** The envelope's status as a number (the platform sends 0 or "0"); null when it is missing or not a whole number. */
    private static Integer statusCode(Object status) {
        if (status instanceof Integer || status instanceof Long || status instanceof Short || status instanceof java.math.BigInteger) {
            long value = ((Number) status).longValue();
            return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE ? (int) value : null;
        }
        if (status instanceof Number number) { // 0.0: a whole number written as a decimal
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

    /** A transport failure before any answer ({@code cause}: connection refused, timeout...) as the typed failure. */
    public void unreachable(String path, Exception cause) {
        String reason = cause == null ? "unknown transport failure"
                : FailureReason.of(cause);
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
     * When the request was sent but its answer never came ({@code cause}: the transport failure) or a
     * proxy answered 504 ({@code httpStatus}): the typed failure, which the call step retries unless the caller
     * said a repeat could create something twice.
     */
    public void answerLost(String path, Integer httpStatus, Exception cause) {
        if (httpStatus != null) { // an answer came (504): any exception seen here is an older one of the caller's
            throw new SophonSightAnswerLostException(path, httpStatus, "HTTP " + httpStatus, null);
        }
        String reason = cause == null ? "no answer" : FailureReason.of(cause);
        throw new SophonSightAnswerLostException(path, -1, reason, cause);
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
        // one character more than shown, so a longer answer ends with the cut marker
        return FailureReason.text(new String(body, 0, Math.min(body.length, 201), StandardCharsets.UTF_8).replaceAll("\\s+", " "), 200);
    }
}
