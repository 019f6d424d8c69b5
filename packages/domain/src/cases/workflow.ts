import { z } from 'zod';
import { hasPermission, type Permission, type Role, ZRole } from '../identity/permissions.ts';
import { AppError } from '../shared/errors.ts';
import { ZMoney } from '../shared/money.ts';
import type { CaseState, TCase, TCompensation } from './case-model.ts';
import { ReviewOutcomes, ZRootCause } from './case-model.ts';
import {
  authorityLimit,
  DEFAULT_COMPENSATION_AUTHORITY,
  decideCompensation,
  type TCompensationAuthority,
} from './compensation.ts';
import { PauseReasons } from './sla-schema.ts';

/**
 * The case state machine:
 *   received → acknowledged → investigating → resolution_proposed → accepted | rejected → closed
 * plus reopen (closed → investigating), review (closed | rejected → review_requested →
 * closed when upheld, investigating when overturned), merge into another case, withdrawal,
 * pauses of the SLA clocks, assignment and compensation with front-line authority.
 * Nothing is deleted: merged and withdrawn are terminal states that keep the record.
 */

const reason = z.string().trim().min(1).max(2000);

export const ZCaseAction = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('acknowledge') }),
  z.strictObject({ type: z.literal('start_investigation') }),
  z.strictObject({ type: z.literal('assign'), assigneeId: z.string().min(1) }),
  z.strictObject({ type: z.literal('pause'), reason: z.enum(PauseReasons) }),
  z.strictObject({ type: z.literal('resume') }),
  z.strictObject({ type: z.literal('propose_resolution'), summary: z.string().trim().min(1).max(5000) }),
  z.strictObject({ type: z.literal('customer_accept') }),
  z.strictObject({ type: z.literal('customer_reject'), reason: reason.optional() }),
  z.strictObject({ type: z.literal('return_to_investigation'), reason }),
  z.strictObject({ type: z.literal('close'), rootCause: ZRootCause }),
  z.strictObject({ type: z.literal('reopen'), reason }),
  z.strictObject({ type: z.literal('request_review'), reason }),
  z.strictObject({
    type: z.literal('decide_review'),
    outcome: z.enum(ReviewOutcomes),
    summary: z.string().trim().min(1).max(5000),
  }),
  z.strictObject({ type: z.literal('merge'), intoCaseId: z.string().min(1) }),
  z.strictObject({ type: z.literal('withdraw'), reason: reason.optional() }),
  z.strictObject({
    type: z.literal('offer_compensation'),
    amount: ZMoney,
    reason: z.string().trim().min(1).max(500),
  }),
  z.strictObject({ type: z.literal('approve_compensation'), compensationId: z.string().min(1) }),
  z.strictObject({ type: z.literal('decline_compensation'), compensationId: z.string().min(1), reason }),
]);
export type TCaseAction = z.infer<typeof ZCaseAction>;
export type CaseActionType = TCaseAction['type'];

export const ZCaseActor = z.strictObject({ userId: z.string().min(1), roles: z.array(ZRole) });
export type TCaseActor = z.infer<typeof ZCaseActor>;

export interface TCaseEvent {
  /** `case.<what happened>`, the outbox event name. */
  readonly type: string;
  readonly caseId: string;
  readonly at: Date;
  readonly actorId: string;
  /** The state before and after, for the timeline and the audit chain. */
  readonly from: CaseState;
  readonly to: CaseState;
  readonly data: Readonly<Record<string, unknown>>;
}

export type TransitionResult =
  | { readonly ok: true; readonly case: TCase; readonly events: readonly TCaseEvent[] }
  | { readonly ok: false; readonly error: AppError };

export interface TransitionOptions {
  readonly compensationAuthority?: TCompensationAuthority;
  /** End of the review-request window (the `review_request` clock); later requests are refused. */
  readonly reviewRequestDeadline?: Date;
}

const OPEN: readonly CaseState[] = ['received', 'acknowledged', 'investigating', 'resolution_proposed'];
const WORKING: readonly CaseState[] = ['acknowledged', 'investigating', 'resolution_proposed'];

interface Rule {
  readonly from: readonly CaseState[];
  readonly permission: Permission;
  /** Case types the action applies to; all when absent. */
  readonly types?: readonly TCase['type'][];
}

/** Which states each action may start from, and what permission it needs. */
export const TRANSITION_RULES: Readonly<Record<CaseActionType, Rule>> = {
  acknowledge: { from: ['received'], permission: 'case.handle' },
  start_investigation: { from: ['acknowledged'], permission: 'case.handle' },
  assign: { from: [...OPEN, 'accepted', 'rejected', 'review_requested'], permission: 'case.handle' },
  pause: { from: WORKING, permission: 'case.handle' },
  resume: { from: WORKING, permission: 'case.handle' },
  propose_resolution: { from: ['investigating'], permission: 'case.handle' },
  customer_accept: { from: ['resolution_proposed'], permission: 'case.handle' },
  customer_reject: { from: ['resolution_proposed'], permission: 'case.handle' },
  return_to_investigation: { from: ['resolution_proposed', 'rejected'], permission: 'case.handle' },
  close: { from: ['accepted', 'rejected'], permission: 'case.handle' },
  reopen: { from: ['closed'], permission: 'case.supervise' },
  request_review: { from: ['closed', 'rejected'], permission: 'case.handle', types: ['complaint'] },
  decide_review: { from: ['review_requested'], permission: 'case.supervise', types: ['complaint'] },
  merge: { from: ['received', 'acknowledged', 'investigating'], permission: 'case.handle' },
  withdraw: { from: [...OPEN, 'accepted', 'rejected', 'review_requested'], permission: 'case.handle' },
  // A teller may grant on the spot while recording the complaint, hence `received`.
  offer_compensation: { from: [...OPEN, 'accepted', 'rejected'], permission: 'case.handle' },
  approve_compensation: { from: [...OPEN, 'accepted', 'rejected', 'closed'], permission: 'case.approve' },
  decline_compensation: { from: [...OPEN, 'accepted', 'rejected', 'closed'], permission: 'case.approve' },
};

/** Actions allowed from a state, for the UI's action buttons. */
export function allowedActions(c: TCase): CaseActionType[] {
  return (Object.keys(TRANSITION_RULES) as CaseActionType[]).filter((a) => {
    const rule = TRANSITION_RULES[a];
    return rule.from.includes(c.state) && (rule.types === undefined || rule.types.includes(c.type));
  });
}

const fail = (code: 'invalid_state' | 'forbidden' | 'validation_failed' | 'not_found', message: string) =>
  ({ ok: false, error: new AppError(code, message) }) as const;

function openPauseIndex(c: TCase): number {
  return c.pauses.findIndex((p) => p.to === null);
}

/** Closes an open SLA pause when the case leaves the working states. */
function endPauses(c: TCase, now: Date): TCase['pauses'] {
  return c.pauses.map((p) => (p.to === null ? { ...p, to: now } : p));
}

/**
 * Applies one action. Returns the new case (version + 1) and its events, or an AppError:
 * `invalid_state` when the action is not allowed from the current state, `forbidden` when the
 * actor lacks the permission or authority, `validation_failed` for a malformed action.
 */
export function transition(
  c: TCase,
  action: TCaseAction,
  actor: TCaseActor,
  now: Date,
  options: TransitionOptions = {},
): TransitionResult {
  const parsed = ZCaseAction.safeParse(action);
  if (!parsed.success) return fail('validation_failed', parsed.error.issues.map((i) => i.message).join('; '));
  const a = parsed.data;
  const rule = TRANSITION_RULES[a.type];
  if (rule.types && !rule.types.includes(c.type)) {
    return fail('invalid_state', `${a.type} does not apply to a ${c.type} case`);
  }
  if (!rule.from.includes(c.state))
    return fail('invalid_state', `Cannot ${a.type} a case that is ${c.state}`);
  if (!hasPermission(actor.roles, rule.permission)) {
    return fail('forbidden', `${a.type} needs permission ${rule.permission}`);
  }

  const authority = options.compensationAuthority ?? DEFAULT_COMPENSATION_AUTHORITY;
  const events: TCaseEvent[] = [];
  const emit = (type: string, to: CaseState, data: Record<string, unknown> = {}) =>
    events.push({
      type: `case.${type}`,
      caseId: c.id,
      at: now,
      actorId: actor.userId,
      from: c.state,
      to,
      data,
    });
  const next = (patch: Partial<TCase>): TransitionResult => ({
    ok: true,
    case: { ...c, ...patch, version: c.version + 1 },
    events,
  });

  switch (a.type) {
    case 'acknowledge':
      emit('acknowledged', 'acknowledged');
      return next({ state: 'acknowledged' });
    case 'start_investigation':
      emit('investigation_started', 'investigating');
      return next({ state: 'investigating', assigneeId: c.assigneeId ?? actor.userId });
    case 'assign':
      if (a.assigneeId === c.assigneeId) return fail('invalid_state', 'Already assigned to that person');
      emit('assigned', c.state, { assigneeId: a.assigneeId, previousAssigneeId: c.assigneeId });
      return next({ assigneeId: a.assigneeId });
    case 'pause':
      if (openPauseIndex(c) >= 0) return fail('invalid_state', 'The SLA clocks are already paused');
      emit('paused', c.state, { reason: a.reason });
      return next({ pauses: [...c.pauses, { from: now, to: null, reason: a.reason }] });
    case 'resume': {
      const i = openPauseIndex(c);
      if (i < 0) return fail('invalid_state', 'The SLA clocks are not paused');
      emit('resumed', c.state, { reason: c.pauses[i]?.reason });
      return next({ pauses: endPauses(c, now) });
    }
    case 'propose_resolution':
      emit('resolution_proposed', 'resolution_proposed', { summary: a.summary });
      return next({
        state: 'resolution_proposed',
        resolution: { summary: a.summary, proposedAt: now },
        decisionAt: now,
      });
    case 'customer_accept':
      emit('resolution_accepted', 'accepted');
      return next({ state: 'accepted', pauses: endPauses(c, now) });
    case 'customer_reject':
      emit('resolution_rejected', 'rejected', { reason: a.reason ?? null });
      return next({ state: 'rejected', pauses: endPauses(c, now) });
    case 'return_to_investigation':
      emit('returned_to_investigation', 'investigating', { reason: a.reason });
      return next({ state: 'investigating' });
    case 'close': {
      if (c.type === 'complaint' && !c.complaint?.classification) {
        return fail('validation_failed', 'Classify the complaint (JR/T 0169-2018) before closing it');
      }
      if (c.compensations.some((x) => x.status === 'pending_approval')) {
        return fail('invalid_state', 'A compensation is still waiting for approval');
      }
      emit('closed', 'closed', { rootCause: a.rootCause });
      return next({ state: 'closed', rootCause: a.rootCause, closedAt: now, pauses: endPauses(c, now) });
    }
    case 'reopen':
      emit('reopened', 'investigating', { reason: a.reason });
      return next({ state: 'investigating', closedAt: null, reopenCount: c.reopenCount + 1 });
    case 'request_review':
      if (c.review?.decidedAt) return fail('invalid_state', 'The review has already been decided');
      if (options.reviewRequestDeadline && now.getTime() >= options.reviewRequestDeadline.getTime()) {
        return fail('invalid_state', 'The review-request window has passed');
      }
      emit('review_requested', 'review_requested', { reason: a.reason });
      return next({
        state: 'review_requested',
        review: { requestedAt: now, reason: a.reason, decidedAt: null, outcome: null, summary: null },
      });
    case 'decide_review': {
      const to: CaseState = a.outcome === 'upheld' ? 'closed' : 'investigating';
      emit('review_decided', to, { outcome: a.outcome, summary: a.summary });
      const review = c.review
        ? { ...c.review, decidedAt: now, outcome: a.outcome, summary: a.summary }
        : null;
      return next(
        a.outcome === 'upheld'
          ? { state: 'closed', review, closedAt: c.closedAt ?? now }
          : { state: 'investigating', review, closedAt: null, reopenCount: c.reopenCount + 1 },
      );
    }
    case 'merge':
      if (a.intoCaseId === c.id) return fail('validation_failed', 'A case cannot be merged into itself');
      emit('merged', 'merged', { intoCaseId: a.intoCaseId });
      return next({ state: 'merged', mergedIntoCaseId: a.intoCaseId, pauses: endPauses(c, now) });
    case 'withdraw':
      emit('withdrawn', 'withdrawn', { reason: a.reason ?? null });
      return next({ state: 'withdrawn', withdrawnAt: now, pauses: endPauses(c, now) });
    case 'offer_compensation': {
      if (a.amount.amountMinor <= 0) return fail('validation_failed', 'Compensation must be positive');
      const route = decideCompensation({ amount: a.amount, roles: actor.roles, authority });
      const comp: TCompensation = {
        id: `${c.id}:comp:${c.compensations.length + 1}`,
        amount: a.amount,
        reason: a.reason,
        status: route.route === 'on_the_spot' ? 'granted' : 'pending_approval',
        requestedBy: actor.userId,
        requestedAt: now,
        decidedBy: route.route === 'on_the_spot' ? actor.userId : null,
        decidedAt: route.route === 'on_the_spot' ? now : null,
        note: null,
      };
      emit(
        route.route === 'on_the_spot' ? 'compensation_granted' : 'compensation_approval_requested',
        c.state,
        {
          compensationId: comp.id,
          amount: a.amount,
          limitMinor: route.limitMinor,
        },
      );
      return next({ compensations: [...c.compensations, comp] });
    }
    case 'approve_compensation':
    case 'decline_compensation': {
      const comp = c.compensations.find((x) => x.id === a.compensationId);
      if (!comp) return fail('not_found', `No compensation ${a.compensationId}`);
      if (comp.status !== 'pending_approval') return fail('invalid_state', `Compensation is ${comp.status}`);
      if (comp.requestedBy === actor.userId) return fail('forbidden', 'Nobody approves their own request');
      const approve = a.type === 'approve_compensation';
      if (approve && authorityLimit(actor.roles, comp.amount.currency, authority) < comp.amount.amountMinor) {
        return fail('forbidden', 'The amount exceeds your compensation authority');
      }
      const note = a.type === 'decline_compensation' ? a.reason : null;
      emit(approve ? 'compensation_approved' : 'compensation_declined', c.state, {
        compensationId: comp.id,
        amount: comp.amount,
        note,
      });
      return next({
        compensations: c.compensations.map((x) =>
          x.id === comp.id
            ? {
                ...x,
                status: approve ? 'approved' : 'declined',
                decidedBy: actor.userId,
                decidedAt: now,
                note,
              }
            : x,
        ),
      });
    }
  }
}

/** Roles list helper for tests and seed data. */
export function caseActor(userId: string, ...roles: Role[]): TCaseActor {
  return { userId, roles };
}
