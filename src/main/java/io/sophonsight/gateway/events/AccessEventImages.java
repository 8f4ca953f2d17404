package io.sophonsight.gateway.events;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Plans the files of an event's base64 images. Names are generated from the gateway's own event id
 * and the image slot ({@code access-photos/2026/11/28/42-face.jpg}), never taken from the payload, so no
 * {@code photoId} can steer a file out of the photo folder. The same event always gets the same
 * names, so a retried fan-out overwrites instead of piling up copies. Strangers' images go to
 * {@code push.fanout.stranger-photo-folder} (by default the same folder as everyone else's,
 * {@code push.fanout.photo-folder}); the event records each path relative to the data folder.
 */
@Component("accessEventImages")
public class AccessEventImages {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

    /** One file to write: its path relative to its photo folder, its bytes, and whether it is a stranger's. */
    public static final class PhotoFile {
        private final String relativePath;
        private final byte[] bytes;
        private final boolean stranger;

        PhotoFile(String relativePath, byte[] bytes, boolean stranger) {
            this.relativePath = relativePath;
            this.bytes = bytes;
            this.stranger = stranger;
        }

        /** Written to {@code push.fanout.stranger-photo-folder} rather than {@code push.fanout.photo-folder}. */
        public boolean isStranger() {
            return stranger;
        }

        public String getRelativePath() {
            return relativePath;
        }

        public byte[] getBytes() {
            return bytes;
        }
    }

    private static final TypeReference<Map<String, String>> IMAGES = new TypeReference<>() { };

    private final ObjectMapper mapper;
    private final String folderName;
    private final String strangerFolderName;

    public AccessEventImages(ObjectMapper mapper, @Value("${push.fanout.photo-folder}") String folderName,
            @Value("${push.fanout.stranger-photo-folder:${push.fanout.photo-folder}}") String strangerFolderName) {
        this.mapper = mapper;
        this.folderName = folder(folderName, "push.fanout.photo-folder");
        this.strangerFolderName = folder(strangerFolderName, "push.fanout.stranger-photo-folder");
    }

    /** A folder name under the data folder: relative, no {@code ..}, no trailing slash. */
    private static String folder(String name, String key) {
        String trimmed = name == null ? "" : name.trim().replace('\\', '/').replaceAll("/+$", "");
        if (trimmed.isEmpty() || trimmed.startsWith("/") || trimmed.matches("^[A-Za-z]:.*")
                || List.of(trimmed.split("/")).contains("..")) {
            throw new IllegalArgumentException(key + " must be a folder under the data folder (relative, no '..'): '" + name + "'");
        }
        return trimmed;
    }

    /**
     * The files to write from the staged images ({@code images_json} of access_event_image); also
     * records their paths in the event under {@code imageFiles} and the three {@code *PhotoFile} keys.
     */
    public List<PhotoFile> plan(Map<String, Object> event, String stagedImages)
            throws JsonProcessingException {
        if (stagedImages == null) {
            throw new IllegalStateException("access event " + event.get(AccessEvent.EVENT_ID)
                    + " has images but none are staged in access_event_image");
        }
        Map<String, String> images = mapper.readValue(stagedImages, IMAGES);
        long eventId = ((Number) event.get(AccessEvent.EVENT_ID)).longValue();
        long passTime = ((Number) event.get(AccessEvent.PASS_TIME)).longValue();
        String day = DAY.format(Instant.ofEpochMilli(passTime));
        boolean stranger = "stranger".equals(event.get(AccessEvent.PERSON_TYPE));
        String folder = stranger ? strangerFolderName : folderName;
        List<PhotoFile> files = new ArrayList<>();
        Map<String, String> paths = new LinkedHashMap<>();
        images.forEach((slot, base64) -> {
            if (!slot.matches("[a-z]+")) {
                throw new IllegalArgumentException("unexpected image slot " + slot);
            }
            byte[] bytes = Base64.getDecoder().decode(base64);
            String relative = day + "/" + eventId + "-" + slot + "." + extension(bytes);
            files.add(new PhotoFile(relative, bytes, stranger));
            paths.put(slot, folder + "/" + relative);
        });
        event.put(AccessEvent.IMAGE_FILES, paths);
        for (String slot : List.of(AccessEvent.IMAGE_ENROLLED, AccessEvent.IMAGE_SCENE, AccessEvent.IMAGE_FACE)) {
            event.put(slot + "PhotoFile", paths.get(slot)); // columns enrolled_photo_file, scene_…, face_…
        }
        return files;
    }

    static String extension(byte[] bytes) {
        if (bytes.length > 2 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8) {
            return "jpg";
        }
        if (bytes.length > 3 && (bytes[0] & 0xff) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G') {
            return "png";
        }
        return "bin";
    }
}
