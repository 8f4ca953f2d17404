package io.sophonsight.gateway.photos;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

/**
 * The photo download's conversions: the platform's answer to image bytes, and the bytes (or a
 * failure) to the HTTP answer.
 *
 * <p>The platform answers {@code pic/download} in one of two styles (docs/sophonsight-openapi.md §3.2, doc conflict):
 * the image stream itself (the call step then yields {@code byte[]}), or a JSON envelope whose
 * {@code data} carries the image as base64 — in {@code photoByteStr} like the upload (the
 * simulator's envelope style), or under another common name, or as {@code data} itself.
 *
 * <p>The content type comes from the image's magic bytes (JPEG, PNG, GIF, WebP, BMP), else from a
 * type the envelope declares, else from the photoId's extension, else
 * {@code application/octet-stream}. Cache hits and misses therefore answer the same type.
 */
@Component("photoContent")
public class PhotoContent {

    /**
     * The image of a platform answer.
     *
     * @param bytes        the image
     * @param declaredType an {@code image/*} type the platform's envelope declared, or null
     */
    public record PlatformImage(byte[] bytes, String declaredType) {
    }

    static final List<String> BASE64_FIELDS = List.of("photoByteStr", "photoBase64", "base64", "imageBase64", "image", "picture", "photo");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    static final List<String> TYPE_FIELDS = List.of("contentType", "mimeType", "photoType");

    /** The business fields of {@code pic/download}. */
    public Map<String, Object> downloadRequest(String photoId) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("photoId", photoId);
        return request;
    }

    /** The image of the platform's answer ({@code data}), whichever style it answered in. */
    public PlatformImage fromPlatformAnswer(Object data) {
        byte[] image;
        String declared = null;
        if (data instanceof byte[] bytes) {
            image = bytes;
        } else if (data instanceof Map<?, ?> fields) {
            declared = declaredType(fields);
            image = decode(base64Field(fields));
        } else if (data instanceof String text) {
            image = decode(text);
        } else {
            throw new PhotoAnswerException("the platform answered pic/download without an image ("
                    + (data == null ? "no data" : data.getClass().getSimpleName()) + ")");
        }
        if (image.length == 0) {
            throw new PhotoAnswerException("the platform answered pic/download with an empty image");
        }
        // bytes no magic number recognises are served only under an image type the envelope declares
        if (sniff(image) == null && declared == null) {
            throw new PhotoAnswerException("the platform answered pic/download with " + image.length
                    + " bytes that are not an image (JPEG, PNG, GIF, WebP, BMP)");
        }
        return new PlatformImage(image, declared);
    }

    /**
     * The Content-Type of a photo: the type its first bytes tell, else the type the platform declared
     * ({@code declared}), else the photoId's extension (.jpg, .png), else application/octet-stream.
     */
    public static String contentType(byte[] photo, String declared, String photoId) {
        String sniffed = sniff(photo);
        if (sniffed != null) {
            return sniffed;
        }
        if (declared != null) {
            return declared;
        }
        String id = photoId == null ? "" : photoId.toLowerCase(Locale.ROOT);
        if (id.endsWith(".jpg") || id.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        if (id.endsWith(".png")) {
            return "image/png";
        }
        return "application/octet-stream";
    }

    /** The image type told by the first bytes, or null when they are not a known image format. */
    public static String sniff(byte[] b) {
        if (b == null) {
            return null;
        }
        if (startsWith(b, 0xFF, 0xD8, 0xFF)) {
            return "image/jpeg";
        }
        if (startsWith(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return "image/png";
        }
        if (startsWith(b, 'G', 'I', 'F', '8') && b.length > 5 && (b[4] == '7' || b[4] == '9') && b[5] == 'a') {
            return "image/gif";
        }
        if (startsWith(b, 'R', 'I', 'F', 'F') && b.length >= 12
                && "WEBP".equals(new String(b, 8, 4, StandardCharsets.US_ASCII))) {
            return "image/webp";
        }
        if (startsWith(b, 'B', 'M') && b.length >= 14) {
            return "image/bmp";
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

    private static String declaredType(Map<?, ?> fields) {
        for (String field : TYPE_FIELDS) {
            Object value = fields.get(field);
            if (value instanceof String type && type.toLowerCase(Locale.ROOT).matches("image/[a-z0-9.+-]{1,50}")) {
                return type.toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    private static String base64Field(Map<?, ?> fields) {
        for (String field : BASE64_FIELDS) {
            if (fields.get(field) instanceof String text && !text.isBlank()) {
                return text;
            }
        }
        throw new PhotoAnswerException("the platform's pic/download envelope holds no base64 image in any of "
                + BASE64_FIELDS + " (fields: " + fields.keySet() + ")");
    }

    /** Base64 with or without line breaks, optionally as a {@code data:image/...;base64,} URL. */
    static byte[] decode(String base64) {
        String text = base64.trim();
        if (text.startsWith("data:")) {
            int comma = text.indexOf(',');
            text = comma < 0 ? "" : text.substring(comma + 1);
        }
        try {
            return Base64.getDecoder().decode(WHITESPACE.matcher(text).replaceAll(""));
        } catch (IllegalArgumentException e) {
            throw new PhotoAnswerException("the platform's pic/download image is not base64: " + e.getMessage());
        }
    }
}
