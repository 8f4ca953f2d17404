package io.sophonsight.gateway.hr;

/** How a sync run reads HR. */
public enum HrSyncMode {
    /** Everything HR holds, compared with sync_state: creates, updates and deletes. */
    FULL,
    /** Only people HR changed since the last watermark (plus all orgs): creates and updates, never deletes. */
    INCREMENTAL
}
