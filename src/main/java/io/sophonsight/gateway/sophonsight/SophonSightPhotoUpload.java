package io.sophonsight.gateway.sophonsight;

import java.util.LinkedHashMap;
import java.util.Map;

import io.sophonsight.gateway.common.ImageType;
import org.springframework.stereotype.Component;

/** The request and the answer of pic/upload (docs/sophonsight-openapi.md §3.2), for route {@code sophonsight-photo-upload}. */
@Component("sophonSightPhotoUpload")
public class SophonSightPhotoUpload {

    /**
     * The business fields: {@code photoName} = {@code name} plus the extension the bytes tell ({@code E0001.jpg},
     * {@code visitor-42.png}); {@code photoByteStr} = the bytes, which Jackson writes as standard base64 (padding, no
     * line feeds) straight into the request body, without a 130 KB String per photo.
     */
    public Map<String, Object> request(String name, byte[] photo) {
        ImageType type = ImageType.sniff(photo);
        if (name == null || name.isBlank() || type == null || !type.isFacePhoto()) {
            throw new IllegalArgumentException("pic/upload takes a named JPEG or PNG photo, got name '" + name + "' and "
                    + (photo == null ? "no bytes" : photo.length + " bytes of " + (type == null ? "no known image type" : type)));
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("photoName", name + "." + type.extension());
        fields.put("photoByteStr", photo);
        return fields;
    }

    /** The {@code photoId} of the answer's {@code data}; null when the answer has none (no data, not an object, blank). */
    public String photoId(Object data) {
        Object photoId = data instanceof Map<?, ?> map ? map.get("photoId") : null;
        return photoId == null || photoId.toString().isBlank() ? null : photoId.toString();
    }
}
