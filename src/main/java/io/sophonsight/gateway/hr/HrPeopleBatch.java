package io.sophonsight.gateway.hr;

import java.util.List;

/**
 * One bounded batch of HR people, planned: the upserts to send (each holding its photo's path and hash, never
 * its bytes), the rows rejected locally, and how many HR rows it was made of ({@code hr.sync.batch-size} at most).
 */
public record HrPeopleBatch(List<HrChange.PersonUpsert> personUpserts, List<HrSyncPlan.Rejection> rejections, int read) { }
