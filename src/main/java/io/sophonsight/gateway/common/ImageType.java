package io.sophonsight.gateway.common;

import java.nio.charset.StandardCharsets;

/**
 * An image format told from its first bytes (magic numbers), never from a file name or a declared type. JPEG and
 * PNG are the face photos the platform takes ({@link #isFacePhoto()}: HR photos, visitor photos); GIF, WebP and BMP
 * are also recognised where the platform hands images out (pic/download, pushed and queried access-record images).
 */
public enum ImageType {
    JPEG("jpg", "image/jpeg"),
    PNG("png", "image/png"),
    GIF("gif", "image/gif"),
    WEBP("webp", "image/webp"),
    BMP("bmp", "image/bmp");

    /** Bytes enough to tell every format here apart. */
    public static final int HEAD_BYTES = 14;

    private final String extension;
    private final String mediaType;

    ImageType(String extension, String mediaType) {
        this.extension = extension;
        this.mediaType = mediaType;
    }

    /** File extension without the dot: {@code jpg}, {@code png}, ... */
    public String extension() {
        return extension;
    }

    /** Content type: {@code image/jpeg}, {@code image/png}, ... */
    public String mediaType() {
        return mediaType;
    }

    /** JPEG or PNG: what the platform takes as a face photo (pic/upload). */
    public boolean isFacePhoto() {
        return this == JPEG || this == PNG;
    }

    /** The format {@code bytes} start with (only the first {@link #HEAD_BYTES} are looked at), or null for anything else. */
    public static ImageType sniff(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (startsWith(bytes, 0xFF, 0xD8, 0xFF)) {
            return JPEG;
        }
        if (startsWith(bytes, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return PNG;
        }
        if (startsWith(bytes, 'G', 'I', 'F', '8') && bytes.length > 5 && (bytes[4] == '7' || bytes[4] == '9') && bytes[5] == 'a') {
            return GIF;
        }
        if (startsWith(bytes, 'R', 'I', 'F', 'F') && bytes.length >= 12
                && "WEBP".equals(new String(bytes, 8, 4, StandardCharsets.US_ASCII))) {
            return WEBP;
        }
        if (startsWith(bytes, 'B', 'M') && bytes.length >= HEAD_BYTES) {
            return BMP;
        }
        return null;
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
