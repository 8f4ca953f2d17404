package io.sophonsight.gateway.push;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.http.common.HttpMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Admits a push only from an allowed address (optional IP/CIDR allowlist, 403 otherwise) and with
 * the right {@code ?key=} (401 otherwise). Afterwards the key is gone from the message, so no later
 * step, log line or reply header can show it; the caller's address is in header {@value #SOURCE}.
 */
@Component("pushGuard")
public class PushGuard {

    /** Header holding the caller's address, for logs and dead letters. */
    public static final String SOURCE = "PushSource";

    private static final Logger LOG = LoggerFactory.getLogger(PushGuard.class);

    private final PushKey key;
    private final List<Cidr> allowed = new ArrayList<>();

    public PushGuard(PushKey key, @Value("${push.allowed-sources:}") List<String> allowedSources) {
        this.key = key;
        for (String entry : allowedSources) {
            if (entry != null && !entry.isBlank()) {
                allowed.add(Cidr.parse(entry.trim()));
            }
        }
    }

    public void check(Exchange exchange) {
        Message message = exchange.getMessage();
        String source = remoteAddress(message);
        message.setHeader(SOURCE, source);
        Object candidate = message.removeHeader("key");
        message.removeHeader(Exchange.HTTP_QUERY);
        message.removeHeader(Exchange.HTTP_RAW_QUERY);
        message.removeHeader(Exchange.HTTP_URL);
        message.removeHeader(Exchange.HTTP_URI);
        if (!allowed.isEmpty() && allowed.stream().noneMatch(c -> c.contains(source))) {
            LOG.warn("Push to {} refused: address {} is not in push.allowed-sources", path(exchange), source);
            throw new PushRejectedException(403, "address " + source + " is not allowed to push here");
        }
        if (candidate == null || candidate.toString().isEmpty()) {
            LOG.warn("Push to {} from {} refused: no key in the URL", path(exchange), source);
            throw new PushRejectedException(401, "missing key: the push URL must end with ?key=<push key>");
        }
        if (!key.matches(candidate.toString())) {
            LOG.warn("Push to {} from {} refused: wrong key", path(exchange), source);
            throw new PushRejectedException(401, "wrong key in the push URL");
        }
    }

    private static String path(Exchange exchange) {
        return exchange.getFromEndpoint() == null ? "?" : exchange.getFromEndpoint().getEndpointBaseUri();
    }

    static String remoteAddress(Message message) {
        if (message instanceof HttpMessage http && http.getRequest() != null) {
            return http.getRequest().getRemoteAddr();
        }
        HttpServletRequest request = message.getHeader(Exchange.HTTP_SERVLET_REQUEST, HttpServletRequest.class);
        return request == null ? "unknown" : request.getRemoteAddr();
    }

    /** An address block such as {@code 10.0.0.0/8}, {@code 192.168.1.20} or {@code fd00::/8}. */
    record Cidr(byte[] network, int prefix) {

        static Cidr parse(String text) {
            String[] parts = text.split("/", 2);
            byte[] address = literal(parts[0]);
            if (address == null) {
                throw new IllegalArgumentException("push.allowed-sources: not an IP address or CIDR block: " + text);
            }
            int prefix = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : address.length * 8;
            if (prefix < 0 || prefix > address.length * 8) {
                throw new IllegalArgumentException("push.allowed-sources: bad prefix length in " + text);
            }
            return new Cidr(address, prefix);
        }

        boolean contains(String addressText) {
            byte[] address = literal(addressText);
            if (address == null || address.length != network.length) {
                return false;
            }
            int bits = network.length * 8;
            BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                    .shiftRight(prefix).not().and(BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE));
            return new BigInteger(1, address).and(mask).equals(new BigInteger(1, network).and(mask));
        }

        /** Parses an IP literal only (never a DNS lookup); null when the text is not one. */
        private static byte[] literal(String text) {
            String t = text.trim();
            if (t.startsWith("[") && t.endsWith("]")) {
                t = t.substring(1, t.length() - 1);
            }
            if (!t.matches("[0-9.]+") && !t.contains(":")) {
                return null;
            }
            try {
                byte[] bytes = InetAddress.getByName(t).getAddress();
                if (bytes.length == 16 && isMappedV4(bytes)) {
                    return java.util.Arrays.copyOfRange(bytes, 12, 16);
                }
                return bytes;
            } catch (UnknownHostException e) {
                return null;
            }
        }

        private static boolean isMappedV4(byte[] b) {
            for (int i = 0; i < 10; i++) {
                if (b[i] != 0) {
                    return false;
                }
            }
            return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
        }
    }
}
