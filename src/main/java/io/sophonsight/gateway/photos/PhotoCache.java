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

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
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

    /** Header set by the path {@code {photoId}}. */
    public static final String PHOTO_ID = "photoId";
    static final int MAX_ID_LENGTH = 128;

    private static final Logger LOG = LoggerFactory.getLogger(PhotoCache.class);

    private final Path folder;
    private final Pattern allowed;
    private final String allowedText;

    public PhotoCache(@Value("${photos.cache-dir}") String folder, @Value("${photos.id-pattern}") String idPattern)
            throws IOException {
        this.folder = Path.of(folder).toAbsolutePath().normalize();
        try {
            this.allowed = Pattern.compile(idPattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalStateException("photos.id-pattern is not a regular expression: " + e.getDescription(), e);
        }
        this.allowedText = idPattern;
        Files.createDirectories(this.folder);
    }

    /** Refuses a photoId that is absent, too long, outside the allow-list or holding "..". */
    public void validate(String id) {
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

    /** The cached bytes of a photo, or null when it is not cached (or its file is empty or unreadable). */
    public byte[] lookup(String id) {
        Path file = file(id);
        byte[] cached = null;
        if (Files.isRegularFile(file)) {
            try {
                cached = Files.readAllBytes(file);
            } catch (IOException e) {
                LOG.warn("Photo {} is cached as {} but cannot be read, asking the platform again: {}", id, file, e.toString());
            }
        }
        return cached != null && cached.length > 0 ? cached : null;
    }

    /**
     * After a download: keeps the photo for the next request. A cache that cannot be written (disk full,
     * read-only) costs a platform call next time, never this answer.
     */
    public void store(String id, byte[] photo) {
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
