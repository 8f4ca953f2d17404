package io.sophonsight.gateway.simulator;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The other readings of what the platform's docs leave open (issue 15, docs/sophonsight-openapi.md §7),
 * switchable at runtime like {@link SimulatorFaults}, so the gateway's tests run under each of them:
 * <ul>
 *   <li>{@code pushPlatformUserId}: a push's {@code userId} carries the platform's own person id (the
 *       query record's {@code userId}) instead of ours ({@code thirdUserId});</li>
 *   <li>{@code pushCrossTimeLagMs}: a push's {@code crossTime}/{@code timestamp} is the report time, up to
 *       this many ms after the pass time the query API returns;</li>
 *   <li>{@code downloadContentType}: {@code pic/download} answers the image as {@code image/*} (default),
 *       {@code text/plain}, or with no content type at all;</li>
 *   <li>{@code createTimeInSeconds}: {@code cross/search} gives {@code createTime} in seconds (10 digits), as
 *       its published example does;</li>
 *   <li>{@code basePath}: the open API is served under a path prefix (a reverse proxy), and tokens are
 *       checked over the full path ({@code /prefix/openapi/...});</li>
 *   <li>{@code uploadWithoutPhotoId}: {@code pic/upload} keeps the photo but answers status 0 without {@code data}
 *       (§2 lets {@code data} be absent), so no photoId comes back.</li>
 * </ul>
 * {@link #reset()} returns to the defaults (base path: the configured one).
 */
public class SimulatorReadings {

    /** How pic/download declares the image it sends. */
    public enum DownloadContentType { IMAGE, TEXT_PLAIN, NONE }

    private final String configuredBasePath;
    private volatile boolean pushPlatformUserId;
    private volatile long pushCrossTimeLagMs;
    private volatile DownloadContentType downloadContentType = DownloadContentType.IMAGE;
    private volatile boolean createTimeInSeconds;
    private volatile String basePath;
    private volatile boolean uploadWithoutPhotoId;

    public SimulatorReadings(String configuredBasePath) {
        this.configuredBasePath = normalisePath(configuredBasePath);
        this.basePath = this.configuredBasePath;
    }

    public synchronized void reset() {
        pushPlatformUserId = false;
        pushCrossTimeLagMs = 0;
        downloadContentType = DownloadContentType.IMAGE;
        createTimeInSeconds = false;
        basePath = configuredBasePath;
        uploadWithoutPhotoId = false;
    }

    public boolean uploadWithoutPhotoId() {
        return uploadWithoutPhotoId;
    }

    public SimulatorReadings uploadWithoutPhotoId(boolean value) {
        uploadWithoutPhotoId = value;
        return this;
    }

    public boolean pushPlatformUserId() {
        return pushPlatformUserId;
    }

    public SimulatorReadings pushPlatformUserId(boolean value) {
        pushPlatformUserId = value;
        return this;
    }

    public long pushCrossTimeLagMs() {
        return pushCrossTimeLagMs;
    }

    public SimulatorReadings pushCrossTimeLagMs(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("pushCrossTimeLagMs must not be negative");
        }
        pushCrossTimeLagMs = value;
        return this;
    }

    public DownloadContentType downloadContentType() {
        return downloadContentType;
    }

    public SimulatorReadings downloadContentType(DownloadContentType value) {
        downloadContentType = value == null ? DownloadContentType.IMAGE : value;
        return this;
    }

    public boolean createTimeInSeconds() {
        return createTimeInSeconds;
    }

    public SimulatorReadings createTimeInSeconds(boolean value) {
        createTimeInSeconds = value;
        return this;
    }

    /** The path prefix of the open API ({@code ""}: none). */
    public String basePath() {
        return basePath;
    }

    public SimulatorReadings basePath(String value) {
        basePath = normalisePath(value);
        return this;
    }

    /** Admin API {@code POST /simulator/readings}: sets the fields the body names, keeps the others. */
    synchronized Map<String, Object> apply(JsonNode body) {
        if (body.has("pushPlatformUserId")) {
            pushPlatformUserId(body.path("pushPlatformUserId").asBoolean());
        }
        if (body.has("pushCrossTimeLagMs")) {
            pushCrossTimeLagMs(body.path("pushCrossTimeLagMs").asLong());
        }
        if (body.has("downloadContentType")) {
            downloadContentType(DownloadContentType.valueOf(
                    body.path("downloadContentType").asText().toUpperCase(Locale.ROOT).replace('-', '_')));
        }
        if (body.has("createTimeInSeconds")) {
            createTimeInSeconds(body.path("createTimeInSeconds").asBoolean());
        }
        if (body.has("basePath")) {
            basePath(body.path("basePath").asText());
        }
        return snapshot();
    }

    public Map<String, Object> snapshot() {
        Map<String, Object> readings = new LinkedHashMap<>();
        readings.put("pushPlatformUserId", pushPlatformUserId);
        readings.put("pushCrossTimeLagMs", pushCrossTimeLagMs);
        readings.put("downloadContentType", downloadContentType.name());
        readings.put("createTimeInSeconds", createTimeInSeconds);
        readings.put("basePath", basePath);
        return readings;
    }

    /** {@code ""} or {@code /a/b} (leading slash, no trailing one). */
    static String normalisePath(String path) {
        if (path == null || path.isBlank() || "/".equals(path.trim())) {
            return "";
        }
        String trimmed = path.trim();
        if (!trimmed.startsWith("/")) {
            trimmed = "/" + trimmed;
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }
}
