import { z } from 'zod';

/** How a notice looks on the display board: information, or a warning (service out of order). */
export const NoticeLevels = ['info', 'warning'] as const;
export const ZNoticeLevel = z.enum(NoticeLevels);
export type TNoticeLevel = z.infer<typeof ZNoticeLevel>;

/** Lobby manager posts a notice on the branch's display boards ("ATM 2 暂停服务"). */
export const ZPostNoticeRequest = z.strictObject({
  textZh: z.string().trim().min(1).max(120),
  /** Shown beside the Chinese text when given. */
  textEn: z.string().trim().min(1).max(120).optional(),
  level: ZNoticeLevel.default('warning'),
  /** Absent: shown until a lobby manager takes it down. Counted from the server's clock. */
  durationMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .optional(),
});
export type TPostNoticeRequest = z.infer<typeof ZPostNoticeRequest>;

/** What a display board receives: no names, no staff. */
export const ZDisplayNotice = z.object({
  id: z.uuid(),
  textZh: z.string(),
  textEn: z.string().nullable(),
  level: ZNoticeLevel,
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }).nullable(),
});
export type TDisplayNotice = z.infer<typeof ZDisplayNotice>;

/** The boards' notices now, with the server's clock so a board can drop expired ones on time. */
export const ZDisplayNotices = z.object({
  at: z.iso.datetime({ offset: true }),
  notices: z.array(ZDisplayNotice),
});
export type TDisplayNotices = z.infer<typeof ZDisplayNotices>;

/** A notice as the lobby manager's list shows it (active and past). */
export const ZNotice = ZDisplayNotice.extend({
  branchId: z.uuid(),
  status: z.enum(['active', 'expired']),
  postedBy: z.uuid(),
  postedByName: z.string().nullable(),
  /** When it was taken down by hand (endsAt is set to the same instant). */
  expiredAt: z.iso.datetime({ offset: true }).nullable(),
  expiredByName: z.string().nullable(),
});
export type TNotice = z.infer<typeof ZNotice>;
