package io.sophonsight.gateway.push;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.StreamCache;
import io.sophonsight.gateway.security.RequestBodyTooLargeException;
import io.sophonsight.gateway.security.RequestGuardFilter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * Hands a push body to its parser as it arrives ({@link PushBody}), refusing it (413) once it passes
 * {@code push.max-body-size} ({@link RequestGuardFilter} hides the body of a declared length over it and ends a
 * streamed body one byte past it, marking the request {@link RequestGuardFilter#TOO_LARGE}). The receiver keeps
 * the {@link PushBody} in the exchange property {@value #RAW_BODY}, so a rejection can keep its first bytes.
 */
@Component("pushBodyReader")
public class PushBodyReader {

    /** Exchange property with the raw bytes of the request (or its {@link PushBody}: the first bytes). */
    public static final String RAW_BODY = "PushRawBody";

    private final long maxBytes;

    public PushBodyReader(@Value("${push.max-body-size:16MB}") DataSize maxBodySize) {
        this.maxBytes = maxBodySize.toBytes();
    }

    /**
     * The body of a large push (access records with base64 images) as a stream its parser reads as it
     * arrives: never a copy of the whole body ({@link PushBody}). A declared length over the limit is refused
     * (413) before anything is read; a longer stream, and a stream a filter cut short, when the parser gets
     * there. {@code declared} is the Content-Length; {@code request} is the servlet request (header
     * {@code CamelHttpServletRequest}), for the filters' verdicts.
     */
    public PushBody stream(Object body, Long declared, HttpServletRequest request) {
        if (declared != null && declared > maxBytes) {
            throw tooLarge(declared);
        }
        if (request != null && request.getAttribute(RequestGuardFilter.TOO_LARGE) instanceof Number size) {
            throw tooLarge(size.longValue());
        }
        InputStream in = body instanceof InputStream stream ? stream : new ByteArrayInputStream(bytes(body));
        return new PushBody(in, request, maxBytes, this::tooLarge);
    }

    private byte[] bytes(Object body) {
        try {
            if (body == null) {
                return new byte[0];
            }
            if (body instanceof byte[] raw) {
                return raw;
            }
            if (body instanceof String text) {
                return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
            if (body instanceof StreamCache cache) {
                cache.reset();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                cache.writeTo(out);
                return out.toByteArray();
            }
            if (body instanceof InputStream in) {
                return readLimited(in);
            }
            return body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (RequestBodyTooLargeException e) {
            throw tooLarge(-1);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the push body", e);
        }
    }

    private byte[] readLimited(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        byte[] buffer = new byte[8192];
        long total = 0;
        for (int n; (n = in.read(buffer)) != -1; ) {
            total += n;
            if (total > maxBytes) {
                throw tooLarge(total);
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private PushRejectedException tooLarge(long size) {
        return new PushRejectedException(413, "body of " + (size >= 0 ? size + " bytes" : "unknown size")
                + " is over the limit of " + maxBytes + " bytes (push.max-body-size)");
    }

    public long maxBytes() {
        return maxBytes;
    }
}
