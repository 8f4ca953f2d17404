package io.sophonsight.gateway.photos;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sophonsight.gateway.sophonsight.SophonSightToken;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.beans.factory.annotation.Value;
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

    /** Header: an {@code image/*} type the platform's envelope declared, if any. */
    public static final String DECLARED_TYPE = "PhotoDeclaredContentType";

    static final List<String> BASE64_FIELDS = List.of("photoByteStr", "photoBase64", "base64", "imageBase64", "image", "picture", "photo");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    static final List<String> TYPE_FIELDS = List.of("contentType", "mimeType", "photoType");

    private final ObjectMapper mapper;
    private final String cacheControl;

    public PhotoContent(ObjectMapper mapper, @Value("${photos.cache-control}") String cacheControl) {
        this.mapper = mapper;
        this.cacheControl = cacheControl;
    }

    /** Camel step: the business fields of {@code pic/download}. */
    public Map<String, Object> downloadRequest(Exchange exchange) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("photoId", exchange.getMessage().getHeader(PhotoCache.PHOTO_ID, String.class));
        return request;
    }

    /** Camel step after the call: body = the image bytes, whichever style the platform answered in. */
    public byte[] fromPlatformAnswer(Exchange exchange) {
        Message message = exchange.getMessage();
        Object data = message.getBody();
        byte[] image;
        if (data instanceof byte[] bytes) {
            image = bytes;
        } else if (data instanceof Map<?, ?> fields) {
            declaredType(fields, message);
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
        if (sniff(image) == null && message.getHeader(DECLARED_TYPE) == null) {
            throw new PhotoAnswerException("the platform answered pic/download with " + image.length
                    + " bytes that are not an image (JPEG, PNG, GIF, WebP, BMP)");
        }
        return image;
    }

    /** Camel step: the photo (body) as the HTTP answer, with its content type and caching headers only. */
    public void reply(Exchange exchange) {
        Message message = exchange.getMessage();
        byte[] photo = message.getBody(byte[].class);
        String type = contentType(photo, message.getHeader(DECLARED_TYPE, String.class),
                message.getHeader(PhotoCache.PHOTO_ID, String.class));
        String cache = message.getHeader(PhotoCache.CACHE, String.class);
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, type);
        message.setHeader("Cache-Control", cacheControl);
        message.setHeader("X-Content-Type-Options", "nosniff");
        message.setHeader("X-Photo-Cache", cache);
    }

    /**
     * Camel step for a failure: a JSON answer {@code {"status", "error", "reason", "photoId"}} with
     * the given HTTP status. The reason is the caught exception's message (tokens masked); the
     * photoId is echoed only when it passed the allow-list.
     */
    public void errorReply(Exchange exchange, int status, String error) throws JsonProcessingException {
        Message message = exchange.getMessage();
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", error);
        body.put("reason", cause == null ? error : SophonSightToken.maskInText(cause.getMessage()));
        body.put("photoId", cause instanceof InvalidPhotoIdException ? null : message.getHeader(PhotoCache.PHOTO_ID, String.class));
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(mapper.writeValueAsString(body));
    }

    static String contentType(byte[] photo, String declared, String photoId) {
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

    private static void declaredType(Map<?, ?> fields, Message message) {
        for (String field : TYPE_FIELDS) {
            Object value = fields.get(field);
            if (value instanceof String type && type.toLowerCase(Locale.ROOT).matches("image/[a-z0-9.+-]{1,50}")) {
                message.setHeader(DECLARED_TYPE, type.toLowerCase(Locale.ROOT));
                return;
            }
        }
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
