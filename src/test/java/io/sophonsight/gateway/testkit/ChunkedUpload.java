package io.sophonsight.gateway.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP/1.1 upload over a plain socket, its body generated on the fly (never held in memory) and sent by a
 * thread of its own while the answer is awaited, as an attacker's client would: so the test sees when the
 * gateway answers relative to how much of the body it has taken, and a gateway that reads the whole body
 * before answering is caught (the answer then comes only after all of it was sent).
 */
public final class ChunkedUpload {

    /** The answer, and how many body bytes the client had managed to send when its status line arrived. */
    public record Answer(int status, Map<String, String> headers, String body, long bodyBytesSentBeforeAnswer, long millis) { }

    private static final byte[] CHUNK = new byte[64 * 1024];

    static {
        Arrays.fill(CHUNK, (byte) ' ');
    }

    private ChunkedUpload() {
    }

    /**
     * Sends {@code method path} with {@code headers} and a body of {@code bodyBytes} spaces, chunked, or with
     * {@code Content-Length} when {@code declareLength}; waits at most {@code answerTimeoutMs} for the answer.
     */
    public static Answer send(int port, String method, String pathAndQuery, Map<String, String> headers, long bodyBytes,
                       boolean declareLength, int answerTimeoutMs) throws IOException, InterruptedException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(answerTimeoutMs);
            OutputStream out = socket.getOutputStream();
            StringBuilder head = new StringBuilder(method + " " + pathAndQuery + " HTTP/1.1\r\nHost: localhost:" + port + "\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append(declareLength ? "Content-Length: " + bodyBytes : "Transfer-Encoding: chunked").append("\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();

            AtomicLong sent = new AtomicLong();
            Thread writer = new Thread(() -> writeBody(out, bodyBytes, declareLength, sent), "chunked-upload");
            writer.setDaemon(true);
            long start = System.nanoTime();
            writer.start();
            try {
                InputStream in = socket.getInputStream();
                String statusLine = line(in);
                long sentAtAnswer = sent.get();
                long millis = (System.nanoTime() - start) / 1_000_000;
                Map<String, String> answerHeaders = new LinkedHashMap<>();
                for (String line = line(in); !line.isEmpty(); line = line(in)) {
                    int colon = line.indexOf(':');
                    answerHeaders.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                }
                return new Answer(Integer.parseInt(statusLine.split(" ")[1]), answerHeaders, body(in, answerHeaders),
                        sentAtAnswer, millis);
            } finally {
                writer.interrupt();
                socket.close();
                writer.join(10_000);
            }
        }
    }

    private static void writeBody(OutputStream out, long bodyBytes, boolean declareLength, AtomicLong sent) {
        try {
            byte[] chunkHead = (Integer.toHexString(CHUNK.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            byte[] crlf = "\r\n".getBytes(StandardCharsets.ISO_8859_1);
            while (sent.get() < bodyBytes && !Thread.currentThread().isInterrupted()) {
                int n = (int) Math.min(CHUNK.length, bodyBytes - sent.get());
                if (declareLength) {
                    out.write(CHUNK, 0, n);
                } else {
                    out.write(n == CHUNK.length ? chunkHead : (Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(CHUNK, 0, n);
                    out.write(crlf);
                }
                sent.addAndGet(n);
            }
            if (!declareLength) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            out.flush();
        } catch (IOException e) {
            // the gateway closed the connection: it does not want the rest
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                throw new IOException("connection closed before a complete answer; read: " + line);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static String body(InputStream in, Map<String, String> headers) throws IOException {
        String length = headers.get("content-length");
        if (length != null) {
            return new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
        }
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer.parseInt(line(in).trim(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
            return body.toString(StandardCharsets.UTF_8);
        }
        return "";
    }
}
