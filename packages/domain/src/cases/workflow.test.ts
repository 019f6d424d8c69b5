import { describe, expect, it } from 'vitest';
import type { Role } from '../identity/permissions.ts';
import { type CaseState, CaseStates, newCase, type TCase } from './case-model.ts';
import { allowedActions, type CaseActionType, caseActor, type TCaseAction, transition } from './workflow.ts';

const NOW = new Date('2026-10-12T02:00:00Z');
const RECEIVED = new Date('2026-10-09T02:00:00Z');

const base: TCase = newCase(
  {
    type: 'complaint',
    orgUnitId: 'branch-a',
    channel: 'counter',
    customer: { kind: 'walk_in', name: '张三', phone: '13800000000' },
    subject: 'ATM swallowed card',
    content: 'The ATM kept my card and nobody helped.',
    complaint: {
      business: 'debit card',
      claims: {
        compensation: { amountMinor: 15_000, currency: 'CNY' },
        remedies: ['replace'],
        nonProperty: ['apology'],
      },
      severity: 'medium',
      serviceLevel: 'basic',
      classification: {
        channel: 'self_service',
        businessType: 'debit_card',
        cause: 'facilities_equipment_systems',
      },
    },
    assigneeId: null,
  },
  { id: 'case-1', number: 'CMP-2026-000123' },
  RECEIVED,
);

function caseIn(state: CaseState, patch: Partial<TCase> = {}): TCase {
  return { ...base, state, ...patch };
}

const handler = caseActor('u-handler', 'complaint_handler');
const teller = caseActor('u-teller', 'teller');
const manager = caseActor('u-manager', 'branch_manager');

/** One valid action of each type, with the actor that may perform it. */
const SAMPLE: Record<
  CaseActionType,
  { action: TCaseAction; by: ReturnType<typeof caseActor>; setup?: Partial<TCase> }
> = {
  acknowledge: { action: { type: 'acknowledge' }, by: handler },
  start_investigation: { action: { type: 'start_investigation' }, by: handler },
  assign: { action: { type: 'assign', assigneeId: 'u-other' }, by: handler },
  pause: { action: { type: 'pause', reason: 'external_appraisal' }, by: handler },
  resume: {
    action: { type: 'resume' },
    by: handler,
    setup: { pauses: [{ from: RECEIVED, to: null, reason: 'waiting_for_customer' }] },
  },
  propose_resolution: {
    action: { type: 'propose_resolution', summary: 'Card replaced, fee refunded' },
    by: handler,
  },
  customer_accept: { action: { type: 'customer_accept' }, by: handler },
  customer_reject: { action: { type: 'customer_reject', reason: 'wants more' }, by: handler },
  return_to_investigation: { action: { type: 'return_to_investigation', reason: 'new facts' }, by: handler },
  close: {
    action: { type: 'close', rootCause: { category: 'system_equipment', text: 'card reader fault' } },
    by: handler,
  },
  reopen: { action: { type: 'reopen', reason: 'customer called again' }, by: handler },
  request_review: { action: { type: 'request_review', reason: 'disagree' }, by: handler },
  decide_review: {
    action: { type: 'decide_review', outcome: 'upheld', summary: 'decision stands' },
    by: handler,
  },
  merge: { action: { type: 'merge', intoCaseId: 'case-0' }, by: handler },
  withdraw: { action: { type: 'withdraw', reason: 'resolved elsewhere' }, by: handler },
  offer_compensation: {
    action: {
      type: 'offer_compensation',
      amount: { amountMinor: 15_000, currency: 'CNY' },
      reason: 'goodwill',
    },
    by: teller,
  },
  approve_compensation: {
    action: { type: 'approve_compensation', compensationId: 'case-1:comp:1' },
    by: manager,
    setup: {
      compensations: [
        {
          id: 'case-1:comp:1',
          amount: { amountMinor: 500_000, currency: 'CNY' },
          reason: 'claim',
          status: 'pending_approval',
          requestedBy: 'u-teller',
          requestedAt: RECEIVED,
          decidedBy: null,
          decidedAt: null,
          note: null,
        },
      ],
    },
  },
  decline_compensation: {
    action: { type: 'decline_compensation', compensationId: 'case-1:comp:1', reason: 'not justified' },
    by: manager,
    setup: {
      compensations: [
        {
          id: 'case-1:comp:1',
          amount: { amountMinor: 500_000, currency: 'CNY' },
          reason: 'claim',
          status: 'pending_approval',
          requestedBy: 'u-teller',
          requestedAt: RECEIVED,
          decidedBy: null,
          decidedAt: null,
          note: null,
        },
      ],
    },
  },
};

const OPEN: CaseState[] = ['received', 'acknowledged', 'investigating', 'resolution_proposed'];
/** Written out by hand from the specification, independent of TRANSITION_RULES. */
const ALLOWED: Record<CaseActionType, CaseState[]> = {
  acknowledge: ['received'],
  start_investigation: ['acknowledged'],
  assign: [...OPEN, 'accepted', 'rejected', 'review_requested'],
  pause: ['acknowledged', 'investigating', 'resolution_proposed'],
  resume: ['acknowledged', 'investigating', 'resolution_proposed'],
  propose_resolution: ['investigating'],
  customer_accept: ['resolution_proposed'],
  customer_reject: ['resolution_proposed'],
  return_to_investigation: ['resolution_proposed', 'rejected'],
  close: ['accepted', 'rejected'],
  reopen: ['closed'],
  request_review: ['closed', 'rejected'],
  decide_review: ['review_requested'],
  merge: ['received', 'acknowledged', 'investigating'],
  withdraw: [...OPEN, 'accepted', 'rejected', 'review_requested'],
  offer_compensation: [...OPEN, 'accepted', 'rejected'],
  approve_compensation: [...OPEN, 'accepted', 'rejected', 'closed'],
  decline_compensation: [...OPEN, 'accepted', 'rejected', 'closed'],
};

const EXPECTED_TO: Partial<Record<CaseActionType, CaseState>> = {
  acknowledge: 'acknowledged',
  start_investigation: 'investigating',
  propose_resolution: 'resolution_proposed',
  customer_accept: 'accepted',
  customer_reject: 'rejected',
  return_to_investigation: 'investigating',
  close: 'closed',
  reopen: 'investigating',
  request_review: 'review_requested',
  decide_review: 'closed',
  merge: 'merged',
  withdraw: 'withdrawn',
};

describe('transition: every action from every state', () => {
  for (const type of Object.keys(SAMPLE) as CaseActionType[]) {
    for (const state of CaseStates) {
      const allowed = ALLOWED[type].includes(state);
      it(`${type} from ${state} is ${allowed ? 'allowed' : 'refused'}`, () => {
        const { action, by, setup } = SAMPLE[type];
        const reviewSetup: Partial<TCase> =
          state === 'review_requested'
            ? {
                review: { requestedAt: RECEIVED, reason: 'x', decidedAt: null, outcome: null, summary: null },
              }
            : {};
        const c = caseIn(state, { ...reviewSetup, ...setup });
        // The reviewer for decide_review and reopen needs case.supervise: complaint_handler has it.
        const r = transition(c, action, by, NOW);
        if (allowed) {
          if (!r.ok) throw r.error;
          expect(r.case.version).toBe(c.version + 1);
          expect(r.case.state).toBe(EXPECTED_TO[type] ?? state);
          expect(r.events.length).toBe(1);
          expect(r.events[0]?.type.startsWith('case.')).toBe(true);
          expect(r.events[0]?.from).toBe(state);
          expect(r.events[0]?.at).toBe(NOW);
        } else {
          expect(r.ok).toBe(false);
          if (!r.ok) expect(r.error.code).toBe('invalid_state');
        }
        expect(allowedActions(c).includes(type)).toBe(allowed);
      });
    }
  }
});

describe('transition: guards', () => {
  it('the happy path of a complaint, with events in order', () => {
    const steps: Array<[TCaseAction, ReturnType<typeof caseActor>]> = [
      [{ type: 'acknowledge' }, handler],
      [{ type: 'start_investigation' }, handler],
      [{ type: 'pause', reason: 'waiting_for_customer' }, handler],
      [{ type: 'resume' }, handler],
      [{ type: 'propose_resolution', summary: 'refund' }, handler],
      [{ type: 'customer_accept' }, handler],
      [{ type: 'close', rootCause: { category: 'process', text: 'wrong form' } }, handler],
    ];
    let c = base;
    const types: string[] = [];
    for (const [action, by] of steps) {
      const r = transition(c, action, by, NOW);
      if (!r.ok) throw r.error;
      c = r.case;
      types.push(...r.events.map((e) => e.type));
    }
    expect(c.state).toBe('closed');
    expect(c.closedAt).toBe(NOW);
    expect(c.assigneeId).toBe('u-handler');
    expect(c.pauses).toHaveLength(1);
    expect(c.pauses[0]?.to).toBe(NOW);
    expect(types).toEqual([
      'case.acknowledged',
      'case.investigation_started',
      'case.paused',
      'case.resumed',
      'case.resolution_proposed',
      'case.resolution_accepted',
      'case.closed',
    ]);
  });

  it('refuses actions without the permission', () => {
    const qs = caseActor('u-qs', 'quality_supervisor'); // case.read only
    const r = transition(caseIn('received'), { type: 'acknowledge' }, qs, NOW);
    expect(!r.ok && r.error.code).toBe('forbidden');
    const byTeller = transition(caseIn('closed'), { type: 'reopen', reason: 'x' }, teller, NOW);
    expect(!byTeller.ok && byTeller.error.code).toBe('forbidden');
  });

  it('refuses a malformed action', () => {
    const r = transition(
      caseIn('investigating'),
      { type: 'propose_resolution', summary: '   ' },
      handler,
      NOW,
    );
    expect(!r.ok && r.error.code).toBe('validation_failed');
  });

  it('pause twice and resume without pause are invalid_state', () => {
    const paused = caseIn('investigating', {
      pauses: [{ from: RECEIVED, to: null, reason: 'external_appraisal' }],
    });
    const again = transition(paused, { type: 'pause', reason: 'waiting_for_customer' }, handler, NOW);
    expect(!again.ok && again.error.code).toBe('invalid_state');
    const resume = transition(caseIn('investigating'), { type: 'resume' }, handler, NOW);
    expect(!resume.ok && resume.error.code).toBe('invalid_state');
  });

  it('withdrawal and merge close an open pause', () => {
    const paused = caseIn('investigating', {
      pauses: [{ from: RECEIVED, to: null, reason: 'external_appraisal' }],
    });
    for (const action of [{ type: 'withdraw' } as const, { type: 'merge', intoCaseId: 'case-0' } as const]) {
      const r = transition(paused, action, handler, NOW);
      if (!r.ok) throw r.error;
      expect(r.case.pauses[0]?.to).toBe(NOW);
    }
  });

  it('a case cannot be merged into itself', () => {
    const r = transition(caseIn('received'), { type: 'merge', intoCaseId: 'case-1' }, handler, NOW);
    expect(!r.ok && r.error.code).toBe('validation_failed');
  });

  it('an unclassified complaint cannot be closed', () => {
    const c = caseIn('accepted', {
      complaint: base.complaint && { ...base.complaint, classification: null },
    });
    const r = transition(c, SAMPLE.close.action, handler, NOW);
    expect(!r.ok && r.error.code).toBe('validation_failed');
  });

  it('review is for complaints only and must come inside its window', () => {
    const ebs = caseIn('closed', { type: 'ebanking_support', number: 'EBS-2026-000001' });
    const r = transition(ebs, SAMPLE.request_review.action, handler, NOW);
    expect(!r.ok && r.error.code).toBe('invalid_state');
    expect(allowedActions(ebs)).not.toContain('request_review');
    const late = transition(caseIn('closed'), SAMPLE.request_review.action, handler, NOW, {
      reviewRequestDeadline: new Date('2026-10-11T16:00:00Z'),
    });
    expect(!late.ok && late.error.code).toBe('invalid_state');
  });

  it('an overturned review goes back to investigation and counts as a reopening', () => {
    const c = caseIn('review_requested', {
      review: { requestedAt: RECEIVED, reason: 'x', decidedAt: null, outcome: null, summary: null },
    });
    const r = transition(c, { type: 'decide_review', outcome: 'overturned', summary: 'redo' }, handler, NOW);
    if (!r.ok) throw r.error;
    expect(r.case.state).toBe('investigating');
    expect(r.case.reopenCount).toBe(1);
    expect(r.case.review?.outcome).toBe('overturned');
    const again = transition({ ...r.case, state: 'closed' }, SAMPLE.request_review.action, handler, NOW);
    expect(!again.ok && again.error.code).toBe('invalid_state');
  });
});

describe('compensation authority in the workflow', () => {
  const offer = (amountMinor: number, by: ReturnType<typeof caseActor>) =>
    transition(
      caseIn('received'),
      { type: 'offer_compensation', amount: { amountMinor, currency: 'CNY' }, reason: 'x' },
      by,
      NOW,
    );

  it('a teller grants ¥150 on the spot', () => {
    const r = offer(15_000, teller);
    if (!r.ok) throw r.error;
    expect(r.case.compensations[0]?.status).toBe('granted');
    expect(r.events[0]?.type).toBe('case.compensation_granted');
  });

  it('a teller may grant exactly ¥200 but ¥200.01 needs approval', () => {
    const at = offer(20_000, teller);
    expect(at.ok && at.case.compensations[0]?.status).toBe('granted');
    const above = offer(20_001, teller);
    expect(above.ok && above.case.compensations[0]?.status).toBe('pending_approval');
  });

  it('a ¥5,000 claim goes to approval; the branch manager approves; the case cannot close meanwhile', () => {
    const r = offer(500_000, teller);
    if (!r.ok) throw r.error;
    expect(r.events[0]?.type).toBe('case.compensation_approval_requested');
    const pending = { ...r.case, state: 'accepted' as const };
    const close = transition(pending, SAMPLE.close.action, handler, NOW);
    expect(!close.ok && close.error.code).toBe('invalid_state');
    const id = r.case.compensations[0]?.id ?? '';
    const byHandler = transition(r.case, { type: 'approve_compensation', compensationId: id }, handler, NOW);
    expect(!byHandler.ok && byHandler.error.code).toBe('forbidden'); // no case.approve
    const ok = transition(r.case, { type: 'approve_compensation', compensationId: id }, manager, NOW);
    if (!ok.ok) throw ok.error;
    expect(ok.case.compensations[0]).toMatchObject({ status: 'approved', decidedBy: 'u-manager' });
    const twice = transition(ok.case, { type: 'approve_compensation', compensationId: id }, manager, NOW);
    expect(!twice.ok && twice.error.code).toBe('invalid_state');
  });

  it('approval needs authority covering the amount, and nobody approves their own request', () => {
    const r = offer(2_000_000, manager); // ¥20,000 > branch manager's ¥10,000
    if (!r.ok) throw r.error;
    const id = r.case.compensations[0]?.id ?? '';
    const self = transition(r.case, { type: 'approve_compensation', compensationId: id }, manager, NOW);
    expect(!self.ok && self.error.code).toBe('forbidden');
    const other = transition(
      r.case,
      { type: 'approve_compensation', compensationId: id },
      caseActor('m2', 'branch_manager'),
      NOW,
    );
    expect(!other.ok && other.error.code).toBe('forbidden');
    const ho = transition(
      r.case,
      { type: 'approve_compensation', compensationId: id },
      caseActor('ho', 'branch_manager'),
      NOW,
      {
        compensationAuthority: { currency: 'CNY', limits: { branch_manager: 5_000_000 } },
      },
    );
    expect(ho.ok).toBe(true);
  });

  it('unknown compensation ids are not_found', () => {
    const r = transition(
      caseIn('investigating'),
      { type: 'decline_compensation', compensationId: 'nope', reason: 'x' },
      manager,
      NOW,
    );
    expect(!r.ok && r.error.code).toBe('not_found');
  });

  it('roles without case.handle cannot offer', () => {
    const roles: Role[] = ['quality_supervisor'];
    const r = offer(100, caseActor('q', ...roles));
    expect(!r.ok && r.error.code).toBe('forbidden');
  });
});
