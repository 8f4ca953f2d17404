package io.sophonsight.gateway.hr;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Component;

/** Builds the business fields of the platform calls (docs/sophonsight-openapi.md §3.1, §3.2) from the changes of a plan. */
@Component("hrPlatformRequests")
public class HrPlatformRequests {

    /** {@code syncdept/addOrEdit}: an empty thirdParentId puts the org at the top level. */
    public Map<String, Object> org(HrChange.OrgUpsert org) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", org.name());
        fields.put("thirdId", org.thirdId());
        fields.put("thirdParentId", org.parentId());
        return fields;
    }

    /** {@code pic/upload}: the photo bytes (read for this person just now, checked by {@link HrPhotos}), as base64. */
    public Map<String, Object> photoUpload(HrChange.PersonUpsert person, byte[] bytes) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("photoName", person.getThirdId() + (HrPhotos.isPng(bytes) ? ".png" : ".jpg"));
        // the bytes themselves: Jackson writes a byte[] as standard base64 (padding, no line feeds) straight into
        // the request body, without a 130 KB String per photo that it would then scan for characters to escape
        fields.put("photoByteStr", bytes);
        return fields;
    }

    /**
     * {@code syncuser/addOrEdit}: facePicture always carries the face the person must keep, because
     * an empty one on edit deletes the face (docs/sophonsight-openapi.md §3.2); empty only when HR has no photo.
     */
    public Map<String, Object> person(HrChange.PersonUpsert person) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", person.getName());
        fields.put("thirdId", person.getThirdId());
        fields.put("thirdDeptId", person.getDepartmentId());
        fields.put("jobNumber", nullToEmpty(person.getJobNumber()));
        fields.put("mail", nullToEmpty(person.getMail()));
        fields.put("phone", nullToEmpty(person.getPhone()));
        fields.put("facePicture", nullToEmpty(person.getPhotoId()));
        return fields;
    }

    /** {@code syncuser/delete} or {@code syncdept/delete}: at most 50 ids, already batched by the planner. */
    public Map<String, Object> delete(HrChange.DeleteBatch batch) {
        return Map.of("thirdIds", batch.thirdIds());
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}
