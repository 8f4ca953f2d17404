package io.sophonsight.gateway.hr;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Blob;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HexFormat;

import io.sophonsight.gateway.common.ImageType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The face photos HR names, checked before a byte of them goes anywhere. A value from HR never names a file
 * outside {@code hr.photo.base-dir}: a {@code photo_path} with a {@code ..} segment is refused as written, and
 * the real path (symbolic links followed) must lie inside the folder's real path. Every photo, file or blob,
 * is at most {@code hr.photo.max-bytes} and must start like a JPEG or a PNG.
 *
 * <p>Planning hashes a photo while reading it in 64 KB steps ({@link #fileHash}, {@link #blobHash}); the
 * upload reads the bytes of one person just before its call ({@link #fileBytes}, {@link #blobBytes}), checked
 * again, since the file or row may have changed since. An empty photo is no photo (null).
 */
@Component("hrPhotos")
public class HrPhotos {

    /** What a photo is after the checks: its SHA-256 (the plan keeps this, never the bytes) and its size. */
    public record Checked(String hash, long size) { }

    private static final int STEP = 64 * 1024;

    private final Path baseDir;
    private final long maxBytes;

    @Autowired
    public HrPhotos(HrProperties hr) {
        this(hr.photo().baseDir(), hr.photo().maxBytes());
    }

    public HrPhotos(String baseDir, long maxBytes) {
        this.baseDir = Path.of(baseDir).toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    // ---------------------------------------------------------------- files (hr.photo.source=path)

    /** Planning: hash and size of the file {@code photoPath} names, or null for an empty file. */
    public Checked fileHash(String photoPath) throws HrPhotoException {
        Path file = resolve(photoPath);
        try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return hash(in, photoPath);
        } catch (IOException e) {
            throw new HrPhotoException("photo file '" + photoPath + "' cannot be read: " + e.getMessage());
        }
    }

    /** Upload: the bytes of the file {@code photoPath} names, checked again as they are read now. */
    public byte[] fileBytes(String photoPath) throws HrPhotoException {
        Path file = resolve(photoPath);
        try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return checked(in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1)), photoPath);
        } catch (IOException e) {
            throw new HrPhotoException("photo file '" + photoPath + "' cannot be read: " + e.getMessage());
        }
    }

    /**
     * The file inside the base folder that {@code photoPath} names. Refused: a {@code ..} segment, a NUL, a path
     * whose real location (links followed) is outside the base folder's real location, a missing file, anything
     * but a regular file.
     */
    Path resolve(String photoPath) throws HrPhotoException {
        Path relative;
        try {
            relative = Path.of(photoPath);
        } catch (InvalidPathException e) {
            throw new HrPhotoException("photo_path is not a valid path: " + e.getReason());
        }
        for (Path segment : relative) {
            if ("..".equals(segment.toString())) {
                throw new HrPhotoException("photo_path '" + photoPath + "' contains '..'; it must name a file inside "
                        + "hr.photo.base-dir");
            }
        }
        Path base;
        try {
            base = baseDir.toRealPath();
        } catch (IOException e) {
            throw new HrPhotoException("photo folder hr.photo.base-dir " + baseDir + " does not exist");
        }
        Path real;
        try {
            real = base.resolve(relative).toRealPath();
        } catch (NoSuchFileException e) {
            throw new HrPhotoException("photo file '" + photoPath + "' does not exist in hr.photo.base-dir");
        } catch (IOException e) {
            throw new HrPhotoException("photo file '" + photoPath + "' cannot be read: " + e.getMessage());
        }
        if (!real.startsWith(base) || real.equals(base)) {
            throw new HrPhotoException("photo_path '" + photoPath + "' is outside hr.photo.base-dir");
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new HrPhotoException("photo_path '" + photoPath + "' is not a regular file");
        }
        return real;
    }

    // ---------------------------------------------------------------- blobs (hr.photo.source=blob)

    /** Planning: hash and size of a {@code photo} column value (byte[] or Blob), or null for none. */
    public Checked blobHash(Object value) throws HrPhotoException {
        if (value == null) {
            return null;
        }
        if (value instanceof Blob blob) {
            try (InputStream in = blob.getBinaryStream()) {
                return hash(in, "column photo");
            } catch (IOException | SQLException e) {
                throw new HrPhotoException("photo cannot be read: " + e.getMessage());
            }
        }
        if (!(value instanceof byte[] bytes)) {
            throw new HrPhotoException("column photo is " + value.getClass().getSimpleName() + ", expected binary");
        }
        byte[] photo = checked(bytes, "column photo");
        return photo == null ? null : new Checked(sha256(photo), photo.length);
    }

    /** Upload: the {@code photo} column value read just now for one person, checked; null when HR has none any more. */
    public byte[] blobBytes(Object value) throws HrPhotoException {
        if (value instanceof Blob blob) {
            try (InputStream in = blob.getBinaryStream()) {
                return checked(in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1)), "column photo");
            } catch (IOException | SQLException e) {
                throw new HrPhotoException("photo cannot be read: " + e.getMessage());
            }
        }
        if (value != null && !(value instanceof byte[])) {
            throw new HrPhotoException("column photo is " + value.getClass().getSimpleName() + ", expected binary");
        }
        return checked((byte[]) value, "column photo");
    }

    // ---------------------------------------------------------------- checks

    private Checked hash(InputStream in, String what) throws IOException, HrPhotoException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[STEP];
        byte[] head = new byte[ImageType.HEAD_BYTES];
        long size = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            if (size < head.length) {
                System.arraycopy(buffer, 0, head, (int) size, (int) Math.min(n, head.length - size));
            }
            size += n;
            if (size > maxBytes) {
                throw tooLarge(what, "more than " + maxBytes);
            }
            digest.update(buffer, 0, n);
        }
        if (size == 0) {
            return null;
        }
        sniff(Arrays.copyOf(head, (int) Math.min(size, head.length)), what);
        return new Checked(HexFormat.of().formatHex(digest.digest()), size);
    }

    private byte[] checked(byte[] bytes, String what) throws HrPhotoException {
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        if (bytes.length > maxBytes) {
            throw tooLarge(what, bytes.length > maxBytes + 1 ? String.valueOf(bytes.length) : "more than " + maxBytes);
        }
        sniff(bytes, what);
        return bytes;
    }

    private HrPhotoException tooLarge(String what, String size) {
        return new HrPhotoException("photo " + what + " is " + size + " bytes, over hr.photo.max-bytes (" + maxBytes + ")");
    }

    private static void sniff(byte[] bytes, String what) throws HrPhotoException {
        ImageType type = ImageType.sniff(bytes);
        if (type == null || !type.isFacePhoto()) {
            throw new HrPhotoException("photo " + what + " is neither a JPEG nor a PNG");
        }
    }


    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JRE", e);
        }
    }
}
