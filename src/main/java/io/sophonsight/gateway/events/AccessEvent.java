package io.sophonsight.gateway.events;

/**
 * Keys of the canonical access event (a Map, so routes read {@code ${body[personType]}} and SQL
 * binds {@code :#personType}). Push receivers and the query-mode pollers produce it; the store
 * step {@code direct:access-event-store} and the fan-out router consume it.
 */
public final class AccessEvent {

    /** Column sizes of {@code access_record} (V21, V31): longer values are refused when the event is read. */
    public static final int MAX_ID = 100;
    /** Person and camera names, photo ids. */
    public static final int MAX_NAME = 200;
    public static final int MAX_RAW_TYPE = 50;
    public static final int MAX_IP = 64;
    /** {@code score} is DECIMAL(9, 6). */
    public static final java.math.BigDecimal MAX_SCORE = new java.math.BigDecimal("999.999999");

    /** {@code P} platform push form, {@code B} AI-box push form, {@code query} the query API. */
    public static final String SOURCE_FORM = "sourceForm";
    public static final String PERSON_ID = "personId";
    public static final String PERSON_NAME = "personName";
    /** One of employee, vip, visitor, blacklist, stranger, unknown. */
    public static final String PERSON_TYPE = "personType";
    /** The person type exactly as the platform sent it. */
    public static final String RAW_PERSON_TYPE = "rawPersonType";
    public static final String SCORE = "score";
    /** Epoch milliseconds of the pass. */
    public static final String PASS_TIME = "passTime";
    public static final String BOX_ID = "boxId";
    public static final String CAMERA_ID = "cameraId";
    public static final String CAMERA_IP = "cameraIp";
    public static final String CAMERA_TYPE = "cameraType";
    /** Name of the capture device (query {@code nodeName}; pushes name cameras by id only). */
    public static final String CAMERA_NAME = "cameraName";
    /** Id of the captured face photo (form P {@code photoId}; the query API's {@code fid}). */
    public static final String PHOTO_ID = "photoId";
    public static final String USER_PHOTO_ID = "userPhotoId";
    /** Id of the face crop (form P {@code crossFaceId}; the query API's {@code faceFid}): another image than photoId. */
    public static final String CROSS_FACE_ID = "crossFaceId";
    /** The platform's own id of the person (query {@code userId}); the push's userId may carry it too. */
    public static final String PLATFORM_PERSON_ID = "platformPersonId";
    /** The query record's own {@code id} (employee and visitor records; strangers have none). */
    public static final String RECORD_ID = "recordId";
    /** Map slot -> base64 of the images carried by the event; replaced by file paths after fan-out. */
    public static final String IMAGES = "images";
    /** Map slot -> path of the written file, relative to the data folder. */
    public static final String IMAGE_FILES = "imageFiles";
    public static final String EVENT_ID = "eventId";
    public static final String DEDUPE_KEY = "dedupeKey";

    public static final String IMAGE_ENROLLED = "enrolled";
    public static final String IMAGE_SCENE = "scene";
    public static final String IMAGE_FACE = "face";

    public static final String EMPLOYEE = "employee";
    public static final String VIP = "vip";
    public static final String VISITOR = "visitor";
    public static final String BLACKLIST = "blacklist";
    public static final String STRANGER = "stranger";
    public static final String UNKNOWN = "unknown";

    /** Keys every stored event has (null when the platform did not send the value). */
    static final java.util.List<String> COLUMNS = java.util.List.of(SOURCE_FORM, PERSON_ID, PERSON_NAME, PERSON_TYPE,
            RAW_PERSON_TYPE, SCORE, PASS_TIME, BOX_ID, CAMERA_ID, CAMERA_IP, CAMERA_TYPE, CAMERA_NAME, PHOTO_ID, USER_PHOTO_ID,
            CROSS_FACE_ID, PLATFORM_PERSON_ID, RECORD_ID);

    private AccessEvent() {
    }
}
