package io.sophonsight.gateway.push;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.LongFunction;

import io.sophonsight.gateway.security.RequestGuardFilter;
import jakarta.servlet.http.HttpServletRequest;

/**
 * A push body read as it arrives, for a parser that never needs the whole body in one piece
 * ({@link PushBodyReader#stream}). It keeps only its first {@value #KEPT} bytes, for the dead letter of a
 * refused push; refuses the body once it passes {@code push.max-body-size} (413); at its end tells why a
 * filter cut it short (over the size limit: 413; over the in-flight budget: 503); and turns a broken
 * connection into an {@link UncheckedIOException} (a 500, the platform resends), never a parse error (a 400).
 */
public final class PushBody extends InputStream {

    /** Bytes kept for a dead letter: more than {@code dead-letter.max-payload-chars} (4,000) of any text. */
    static final int KEPT = 64 * 1024;

    private final InputStream in;
    private final HttpServletRequest request;
    private final long maxBytes;
    private final LongFunction<PushRejectedException> tooLarge;
    private final byte[] kept = new byte[KEPT];
    private int keptLength;
    private long size;
    private boolean ended;

    PushBody(InputStream in, HttpServletRequest request, long maxBytes, LongFunction<PushRejectedException> tooLarge) {
        this.in = in;
        this.request = request;
        this.maxBytes = maxBytes;
        this.tooLarge = tooLarge;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (ended) {
            return -1;
        }
        int n;
        try {
            n = in.read(buffer, offset, length);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the push body", e);
        }
        if (n < 0) {
            ended = true;
            refuseIfCut();
            return -1;
        }
        if (keptLength < KEPT) {
            int keep = Math.min(n, KEPT - keptLength);
            System.arraycopy(buffer, offset, kept, keptLength, keep);
            keptLength += keep;
        }
        size += n;
        if (size > maxBytes) {
            throw tooLarge.apply(size);
        }
        return n;
    }

    private void refuseIfCut() {
        if (request == null) {
            return;
        }
        if (request.getAttribute(PushBackpressureFilter.OVER_BUDGET) instanceof PushOverloadedException busy) {
            throw busy;
        }
        if (request.getAttribute(RequestGuardFilter.TOO_LARGE) != null) {
            throw tooLarge.apply(size);
        }
    }

    /**
     * Reads what the parser left and throws it away (constant memory), so the caller reads its answer on an
     * intact connection; a cut body is refused here. Afterwards {@link #size()} is the whole body's.
     */
    public void finish() {
        byte[] discard = new byte[8192];
        while (read(discard, 0, discard.length) != -1) {
            // discarded
        }
    }

    /** {@link #finish()} after a refusal: whatever the rest holds, the refusal already made stands. */
    void finishQuietly() {
        try {
            finish();
        } catch (RuntimeException e) {
            // cut, too large or the connection broke: the answer is already decided
        }
    }

    /** Bytes read so far. */
    public long size() {
        return size;
    }

    /** The first bytes of the body, as text, for a dead letter. */
    @Override
    public String toString() {
        String text = new String(Arrays.copyOf(kept, keptLength), StandardCharsets.UTF_8);
        return size > keptLength ? text + "…[first " + keptLength + " of " + size + " bytes]" : text;
    }
}
