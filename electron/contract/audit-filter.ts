import { z } from "zod";
import { idSchema } from "./schemas.js";

/** Which audit entries a page or a summary covers; every field narrows, none set means the whole log. */
export const auditFilterSchema = z
  .object({
    conversationId: idSchema.optional(),
    /** The provider's name as the entry recorded it (the name at the time of the request). */
    providerName: z.string().min(1).max(200).optional(),
    outcome: z.enum(["ok", "error", "aborted", "declined"]).optional(),
    /** Inclusive bounds on the entry's time (ms since the epoch). */
    from: z.number().int().nonnegative().optional(),
    to: z.number().int().nonnegative().optional(),
  })
  .strict();
export type AuditFilter = z.infer<typeof auditFilterSchema>;

export const auditSummarySchema = z.object({
  count: z.number().int().nonnegative(),
  bytesSent: z.number().int().nonnegative(),
  bytesReceived: z.number().int().nonnegative(),
  /** Null when no entry had a known price. */
  costUsd: z.number().nonnegative().nullable(),
  /** Requests that did not succeed ("error", "aborted"); one the user refused ("declined") did not fail. */
  failed: z.number().int().nonnegative(),
  /** Entries in the whole log (unfiltered), for the count beside the Audit log's link. */
  logCount: z.number().int().nonnegative(),
  /** Every provider name in the log (unfiltered), for the filter's choices. */
  providerNames: z.array(z.string()),
});
export type AuditSummary = z.infer<typeof auditSummarySchema>;
