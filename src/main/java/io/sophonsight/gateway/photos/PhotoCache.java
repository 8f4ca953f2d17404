package io.sophonsight.gateway.photos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The photo download's guard and cache: checks a photoId against the allow-list, and keeps each
 * downloaded photo as one file under {@code photos.cache-dir}, so a photo is fetched from the
 * platform once.
 *
 * <p>A cache file's name is the SHA-256 of the photoId in hex, never the photoId itself: whatever
 * the allow-list lets through (it is configurable), the name is 64 hex characters inside the cache
 * folder, and ids that differ only in letter case do not collide on case-insensitive disks.
 * Files are written to a temporary name and moved into place, so a reader never sees half a photo.
 * A photoId names immutable content on the platform (a new picture is a new upload and a new id),
 * so cached files never go stale; delete old files (e.g. by age) to bound the folder.
 */
@Component("photoCache")
public class PhotoCache {

    /** Header set by the platform-http path {@code {photoId}}. */
    public static final String PHOTO_ID = "photoId";
    /** Header: {@code HIT} when the body came from the cache, {@code MISS} when the platform must be asked. */
    public static final String CACHE = "PhotoCache";
    static final int MAX_ID_LENGTH = 128;

    private static final Logger LOG = LoggerFactory.getLogger(PhotoCache.class);

    private final Path folder;
    private final Pattern allowed;
    private final String allowedText;

    @Autowired
    public PhotoCache(PhotosProperties photos) throws IOException {
        this(photos.cacheDir(), photos.idPattern());
    }

    public PhotoCache(String folder, String idPattern) throws IOException {
        this.folder = Path.of(folder).toAbsolutePath().normalize();
        try {
            this.allowed = Pattern.compile(idPattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalStateException("photos.id-pattern is not a regular expression: " + e.getDescription(), e);
        }
        this.allowedText = idPattern;
        Files.createDirectories(this.folder);
    }

    /** Camel step: refuses a photoId that is absent, too long, outside the allow-list or holding "..". */
    public void validate(Exchange exchange) {
        String id = exchange.getMessage().getHeader(PHOTO_ID, String.class);
        if (id == null || id.isEmpty()) {
            throw new InvalidPhotoIdException("photoId is missing");
        }
        if (id.length() > MAX_ID_LENGTH) {
            throw new InvalidPhotoIdException("photoId is longer than " + MAX_ID_LENGTH + " characters");
        }
        if (!allowed.matcher(id).matches() || id.contains("..") || id.contains("/") || id.contains("\\")) {
            throw new InvalidPhotoIdException("photoId must match " + allowedText + " and hold no '..', '/' or '\\'");
        }
    }

    /** Camel step: body = the cached bytes and {@code PhotoCache=HIT}, or body = null and {@code PhotoCache=MISS}. */
    public void lookup(Exchange exchange) {
        Message message = exchange.getMessage();
        String id = message.getHeader(PHOTO_ID, String.class);
        Path file = file(id);
        byte[] cached = null;
        if (Files.isRegularFile(file)) {
            try {
                cached = Files.readAllBytes(file);
            } catch (IOException e) {
                LOG.warn("Photo {} is cached as {} but cannot be read, asking the platform again: {}", id, file, e.toString());
            }
        }
        boolean hit = cached != null && cached.length > 0;
        message.setBody(hit ? cached : null);
        message.setHeader(CACHE, hit ? "HIT" : "MISS");
    }

    /**
     * Camel step after a download: keeps the photo (body, bytes) for the next request. A cache that
     * cannot be written (disk full, read-only) costs a platform call next time, never this answer.
     */
    public void store(Exchange exchange) {
        Message message = exchange.getMessage();
        String id = message.getHeader(PHOTO_ID, String.class);
        byte[] photo = message.getBody(byte[].class);
        Path file = file(id);
        Path part = null;
        try {
            part = Files.createTempFile(folder, file.getFileName().toString(), ".part");
            Files.write(part, photo);
            try {
                Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.warn("Photo {} could not be cached in {}: {}", id, folder, e.toString());
            deleteQuietly(part);
        }
    }

    /** The cache file of a photoId: a hash-derived name directly inside the cache folder. */
    Path file(String photoId) {
        Path file = folder.resolve(fileName(photoId)).normalize();
        if (!folder.equals(file.getParent())) {
            throw new IllegalStateException("cache file outside the cache folder: " + file);
        }
        return file;
    }

    static String fileName(String photoId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(photoId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest) + ".photo";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JRE", e);
        }
    }

    private static void deleteQuietly(Path part) {
        if (part != null) {
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // a leftover .part file is never read as a photo
            }
        }
    }
}
