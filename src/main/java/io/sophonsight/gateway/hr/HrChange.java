package io.sophonsight.gateway.hr;

import java.util.List;

/** One unit of work of a sync plan that goes out in one platform call (an upsert or a batch of deletes). */
public sealed interface HrChange permits HrChange.OrgUpsert, HrChange.PersonUpsert, HrChange.DeleteBatch {

    String ORG = "ORG";
    String PERSON = "PERSON";

    /** ORG or PERSON: the sync_state kind. */
    String kind();

    /** The HR ids this change is about (one for an upsert, up to the batch size for deletes). */
    List<String> thirdIds();

    /** The route that sends it: {@code direct:hr-sync-<step>}. */
    default String step() {
        return this instanceof OrgUpsert ? "org" : this instanceof PersonUpsert ? "person" : "delete";
    }

    /** Create or edit of an organisation; {@code create} when the platform does not have it yet. */
    record OrgUpsert(String thirdId, String name, String parentId, String contentHash, boolean create) implements HrChange {
        public String kind() {
            return ORG;
        }

        public List<String> thirdIds() {
            return List.of(thirdId);
        }
    }

    /**
     * Create or edit of a person. When the photo must be uploaded first, {@code photoUploadNeeded} is true and
     * {@code photoPath} names its file (source {@code path}; null for source {@code blob}, read by id): the plan
     * holds the photo's hash, never its bytes. Otherwise {@code photoId} is the face the platform keeps
     * ({@code ""} removes it).
     */
    final class PersonUpsert implements HrChange {
        private final String thirdId;
        private final String name;
        private final String departmentId;
        private final String jobNumber;
        private final String mail;
        private final String phone;
        private final String contentHash;
        private final boolean create;
        private final java.sql.Timestamp updatedAt;
        private final boolean reusesPendingPhoto;
        private final String photoPath;
        private final String photoHash;
        private volatile boolean photoUploadNeeded;
        private volatile boolean uploadedThisRun;
        private volatile String photoId;

        public PersonUpsert(String thirdId, String name, String departmentId, String jobNumber, String mail, String phone,
                            String contentHash, String photoHash, boolean photoUploadNeeded, String photoPath, String photoId,
                            boolean create, java.sql.Timestamp updatedAt, boolean reusesPendingPhoto) {
            this.reusesPendingPhoto = reusesPendingPhoto;
            this.thirdId = thirdId;
            this.name = name;
            this.departmentId = departmentId;
            this.jobNumber = jobNumber;
            this.mail = mail;
            this.phone = phone;
            this.contentHash = contentHash;
            this.photoHash = photoHash;
            this.photoUploadNeeded = photoUploadNeeded;
            this.photoPath = photoPath;
            this.photoId = photoId;
            this.create = create;
            this.updatedAt = updatedAt;
        }

        public String kind() {
            return PERSON;
        }

        public List<String> thirdIds() {
            return List.of(thirdId);
        }

        public String getThirdId() {
            return thirdId;
        }

        public String getName() {
            return name;
        }

        public String getDepartmentId() {
            return departmentId;
        }

        public String getJobNumber() {
            return jobNumber;
        }

        public String getMail() {
            return mail;
        }

        public String getPhone() {
            return phone;
        }

        public String getContentHash() {
            return contentHash;
        }

        public String getPhotoHash() {
            return photoHash;
        }

        public boolean isCreate() {
            return create;
        }

        public java.sql.Timestamp getUpdatedAt() {
            return updatedAt;
        }

        /** True when the photoId comes from an earlier attempt's upload whose addOrEdit did not go through. */
        public boolean isReusesPendingPhoto() {
            return reusesPendingPhoto;
        }

        /** True while the photo still has to be uploaded before the addOrEdit. */
        public boolean isPhotoUploadNeeded() {
            return photoUploadNeeded;
        }

        /** The photo's file under hr.photo.base-dir (source path), or null (source blob: read by thirdId). */
        public String getPhotoPath() {
            return photoPath;
        }

        public String getPhotoId() {
            return photoId;
        }

        /**
         * The upload went through: from now on the person references this photo. The planned hash is recorded
         * with it: should HR have changed the photo between planning and upload, the next run sees a different
         * hash and uploads once more, so the platform never keeps a face HR no longer has.
         */
        public void photoUploaded(String uploadedPhotoId) {
            this.photoId = uploadedPhotoId;
            this.photoUploadNeeded = false;
            this.uploadedThisRun = true;
        }

        /** True once this run uploaded the photo (its photoId is then new to sync_state). */
        public boolean isUploadedThisRun() {
            return uploadedThisRun;
        }

        @Override
        public String toString() {
            return "PersonUpsert[" + thirdId + (create ? ", create" : ", edit") + (photoUploadNeeded ? ", new photo" : "") + "]";
        }
    }

    /** Up to the platform's limit of ids deleted in one call; for orgs, children come before their parents. */
    record DeleteBatch(String kind, List<String> thirdIds) implements HrChange {
        public String path() {
            return ORG.equals(kind) ? "/openapi/v1/syncdept/delete" : "/openapi/v1/syncuser/delete";
        }

        /** The same deletes, one id per call: to learn which ids a refused batch named that the platform does not hold. */
        public List<DeleteBatch> oneByOne() {
            return thirdIds.stream().map(id -> new DeleteBatch(kind, List.of(id))).toList();
        }
    }
}
