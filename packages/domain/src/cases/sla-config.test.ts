import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RolePermissions, Roles } from '../identity/permissions.ts';
import {
  authorityForStaff,
  authorityTableIssues,
  DEFAULT_AUTHORITY_TABLE,
  decideCompensation,
  type TAuthorityTable,
  tierLimit,
  UNLIMITED_MINOR,
} from './compensation.ts';
import {
  DEFAULT_ESCALATION_POLICY,
  DEFAULT_ESCALATION_RECIPIENTS,
  ESCALATION_ROLES,
  escalationPolicyIssues,
  levelRecipients,
  type TEscalationPolicy,
  withRecipientsFrom,
  ZEscalationPolicy,
} from './escalation.ts';
import {
  applyConfigLayer,
  type CaseConfigSection,
  CaseConfigSections,
  type ConfigLayer,
  caseConfigIssues,
  configOverrideIssues,
  DEFAULT_CASE_CONFIG,
  DEFAULT_RESOLVED_CONFIG,
  resolveCaseConfig,
  type TCaseConfig,
  type TCaseConfigOverride,
  ZCaseConfigOverride,
} from './sla-config.ts';
import { policyClocks } from './sla-policy.ts';
import { CN_NFRA_2020 } from './sla-presets.ts';

const paths = (issues: readonly { path: string }[]) => issues.map((i) => i.path);

describe('the default configuration (the seed)', () => {
  it('is valid', () => {
    expect(caseConfigIssues(DEFAULT_CASE_CONFIG)).toEqual([]);
  });

  it('has an authority level above ¥10,000: a region manager ¥50,000, the head-office service director unlimited', () => {
    const t = DEFAULT_AUTHORITY_TABLE;
    expect(tierLimit(t, 'teller', 'branch')).toBe(20_000);
    expect(tierLimit(t, 'branch_manager', 'branch')).toBe(1_000_000);
    expect(tierLimit(t, 'branch_manager', 'region')).toBe(5_000_000);
    expect(tierLimit(t, 'branch_manager', 'head_office')).toBe(Number.POSITIVE_INFINITY);
    expect(tierLimit(t, 'quality_supervisor', 'branch')).toBeUndefined();
    const region = authorityForStaff(t, ['branch_manager'], 'region');
    expect(
      decideCompensation({
        amount: { amountMinor: 3_000_000, currency: 'CNY' },
        roles: ['branch_manager'],
        authority: region,
      }).route,
    ).toBe('on_the_spot');
    const branch = authorityForStaff(t, ['branch_manager'], 'branch');
    expect(
      decideCompensation({
        amount: { amountMinor: 3_000_000, currency: 'CNY' },
        roles: ['branch_manager'],
        authority: branch,
      }).route,
    ).toBe('approval_required');
    expect(authorityForStaff(t, ['branch_manager'], 'head_office').limits.branch_manager).toBe(
      UNLIMITED_MINOR,
    );
  });
});

describe('validation', () => {
  it('escalation levels must increase and steps must not fire before the previous one', () => {
    const bad: TEscalationPolicy = {
      ...DEFAULT_ESCALATION_POLICY,
      steps: [
        { level: 'branch_manager', afterBreachMinutes: 60 },
        { level: 'team_lead', afterBreachMinutes: 120 },
        { level: 'head_office_service_centre', afterBreachMinutes: 30 },
      ],
    };
    const issues = escalationPolicyIssues(bad);
    expect(paths(issues)).toEqual(['steps.1.level', 'steps.2.afterBreachMinutes']);
    expect(issues[0]).toMatchObject({
      rule: 'escalation_order',
      params: { step: 2, escalationLevel: 'team_lead', escalationLevelBefore: 'branch_manager' },
    });
    expect(escalationPolicyIssues(DEFAULT_ESCALATION_POLICY)).toEqual([]);
    expect(
      paths(escalationPolicyIssues({ ...DEFAULT_ESCALATION_POLICY, warningShares: [0.5, 0.5] })),
    ).toEqual(['warningShares']);
  });

  it('the roles an escalation may reach are the roles that supervise cases', () => {
    expect([...ESCALATION_ROLES].sort()).toEqual(
      Roles.filter((r) => RolePermissions[r].includes('case.supervise')).sort(),
    );
  });

  it('who each level reaches: the default unless configured; nobody twice; above the assignee only supervisors', () => {
    // Stored chains from before recipients existed read as the default routing.
    const stored = ZEscalationPolicy.parse({ warnTo: ['assignee'] });
    expect(stored.recipients).toBeUndefined();
    expect(levelRecipients(stored, 'branch_manager')).toEqual(DEFAULT_ESCALATION_RECIPIENTS.branch_manager);
    expect(levelRecipients(stored, 'head_office_service_centre')).toEqual([
      { kind: 'role', role: 'complaint_handler', at: ['head_office'] },
    ]);

    const routed = ZEscalationPolicy.parse({
      recipients: { branch_manager: [{ kind: 'role', role: 'branch_manager', at: ['region'] }] },
    });
    expect(escalationPolicyIssues(routed)).toEqual([]);
    expect(levelRecipients(routed, 'branch_manager')).toEqual([
      { kind: 'role', role: 'branch_manager', at: ['region'] },
    ]);
    expect(levelRecipients(routed, 'team_lead')).toEqual(DEFAULT_ESCALATION_RECIPIENTS.team_lead);
    // A rule's own chain keeps its own routing and takes the configured one for the rest.
    const own = ZEscalationPolicy.parse({
      recipients: { team_lead: [{ kind: 'role', role: 'complaint_handler', at: ['branch'] }] },
    });
    const merged = withRecipientsFrom(own, routed);
    expect(levelRecipients(merged, 'team_lead')).toEqual([
      { kind: 'role', role: 'complaint_handler', at: ['branch'] },
    ]);
    expect(levelRecipients(merged, 'branch_manager')).toEqual([
      { kind: 'role', role: 'branch_manager', at: ['region'] },
    ]);
    expect(withRecipientsFrom(own, DEFAULT_ESCALATION_POLICY)).toBe(own);

    const bad = ZEscalationPolicy.parse({
      recipients: {
        assignee: [{ kind: 'assignee' }, { kind: 'role', role: 'teller', at: ['case_unit'] }],
        team_lead: [
          { kind: 'role', role: 'complaint_handler', at: ['branch', 'branch'] },
          { kind: 'assignee' },
          { kind: 'role', role: 'complaint_handler', at: ['region'] },
        ],
        branch_manager: [{ kind: 'role', role: 'lobby_manager', at: ['case_unit'] }],
      },
    });
    const issues = escalationPolicyIssues(bad);
    expect(issues.map((i) => [i.path, i.rule])).toEqual([
      ['recipients.team_lead.0.at', 'org_level_duplicate'],
      ['recipients.team_lead.2', 'recipient_duplicate'],
      ['recipients.branch_manager.0.role', 'recipient_role'],
    ]);
    expect(issues[2]?.params).toEqual({ escalationLevel: 'branch_manager', recipient: 'lobby_manager' });
    // Shape: a role needs at least one org level, and only the four levels exist.
    for (const recipients of [
      { team_lead: [{ kind: 'role', role: 'complaint_handler', at: [] }] },
      { team_lead: [{ kind: 'role', role: 'complaint_handler', at: ['district'] }] },
      { team_lead: [] },
      { supervisor: [{ kind: 'assignee' }] },
    ]) {
      expect(ZEscalationPolicy.safeParse({ recipients }).success, JSON.stringify(recipients)).toBe(false);
    }
  });

  it('authority limits are monotonic up the ladder of roles and up the org tree', () => {
    const byRole: TAuthorityTable = {
      currency: 'CNY',
      tiers: [
        { role: 'teller', level: 'any', limitMinor: 50_000 },
        { role: 'complaint_handler', level: 'any', limitMinor: 20_000 },
      ],
    };
    expect(
      authorityTableIssues(byRole)
        .map((i) => i.message)
        .join(),
    ).toMatch(/complaint_handler .* below teller/);
    const byLevel: TAuthorityTable = {
      currency: 'CNY',
      tiers: [
        { role: 'branch_manager', level: 'branch', limitMinor: 1_000_000 },
        { role: 'branch_manager', level: 'region', limitMinor: 500_000 },
      ],
    };
    expect(
      authorityTableIssues(byLevel)
        .map((i) => i.message)
        .join(),
    ).toMatch(/region .* must not be below branch/);
    const dup: TAuthorityTable = {
      currency: 'CNY',
      tiers: [
        { role: 'teller', level: 'any', limitMinor: 1 },
        { role: 'teller', level: 'any', limitMinor: 2 },
      ],
    };
    expect(paths(authorityTableIssues(dup))).toContain('tiers.1');
  });

  it('a branch may lower authority but not raise it above the unit above', () => {
    const raised = ZCaseConfigOverride.parse({
      authority: {
        currency: 'CNY',
        tiers: DEFAULT_AUTHORITY_TABLE.tiers.map((t) =>
          t.role === 'teller' ? { ...t, limitMinor: 40_000 } : t,
        ),
      },
    });
    const issues = configOverrideIssues(raised, DEFAULT_RESOLVED_CONFIG, { root: false });
    expect(issues.map((i) => i.message).join()).toMatch(/teller at branch: 400.00 is above the 200.00/);
    // Head office itself sets the ceiling.
    expect(configOverrideIssues(raised, DEFAULT_RESOLVED_CONFIG, { root: true })).toEqual([]);
    const lowered = ZCaseConfigOverride.parse({
      authority: {
        currency: 'CNY',
        tiers: DEFAULT_AUTHORITY_TABLE.tiers.map((t) =>
          t.role === 'teller' ? { ...t, limitMinor: 10_000 } : t,
        ),
      },
    });
    expect(configOverrideIssues(lowered, DEFAULT_RESOLVED_CONFIG, { root: false })).toEqual([]);
  });

  it('regulatory presets may be made stricter, never looser, and keep their clocks', () => {
    const looser = DEFAULT_CASE_CONFIG.presets.map((p) =>
      p.name === 'cn-nfra-2020'
        ? { ...p, clocks: p.clocks.map((c) => (c.name === 'decision' ? { ...c, amount: 20 } : c)) }
        : p,
    );
    expect(caseConfigIssues({ ...DEFAULT_CASE_CONFIG, presets: looser }).map((i) => i.path)).toEqual([
      'presets.0.clocks.0.amount',
    ]);
    const stricter = DEFAULT_CASE_CONFIG.presets.map((p) =>
      p.name === 'cn-nfra-2020'
        ? { ...p, clocks: p.clocks.map((c) => (c.name === 'decision' ? { ...c, amount: 10 } : c)) }
        : p,
    );
    expect(caseConfigIssues({ ...DEFAULT_CASE_CONFIG, presets: stricter })).toEqual([]);
    const dropped = DEFAULT_CASE_CONFIG.presets.filter((p) => p.name !== 'us-cfpb');
    expect(caseConfigIssues({ ...DEFAULT_CASE_CONFIG, presets: dropped })[0]?.message).toMatch(
      /us-cfpb cannot be removed/,
    );
    const noReview = DEFAULT_CASE_CONFIG.presets.map((p) =>
      p.name === 'cn-nfra-2020' ? { ...p, clocks: p.clocks.filter((c) => c.name !== 'review_decision') } : p,
    );
    expect(caseConfigIssues({ ...DEFAULT_CASE_CONFIG, presets: noReview })[0]?.message).toMatch(
      /review_decision/,
    );
  });

  it('every case type × severity × service level needs a rule, and clock references must resolve', () => {
    const onlyComplaints: TCaseConfig = {
      ...DEFAULT_CASE_CONFIG,
      policy: {
        ...DEFAULT_CASE_CONFIG.policy,
        rules: DEFAULT_CASE_CONFIG.policy.rules.filter((r) => r.id !== 'internal'),
      },
    };
    expect(
      caseConfigIssues(onlyComplaints)
        .map((i) => i.message)
        .join(),
    ).toMatch(/no rule covers internal_request/);
    const [first, ...rest] = DEFAULT_CASE_CONFIG.policy.rules;
    if (!first) throw new Error('no rule');
    const dangling: TCaseConfig = {
      ...DEFAULT_CASE_CONFIG,
      policy: {
        ...DEFAULT_CASE_CONFIG.policy,
        rules: [
          { ...first, clocks: { ...first.clocks, resolution: { preset: 'cn-nfra-2020', clock: 'nope' } } },
          ...rest,
        ],
      },
    };
    expect(paths(caseConfigIssues(dangling))).toEqual(['policy.rules.0.clocks.resolution']);
  });

  it('a section locked above cannot be overridden below', () => {
    const hq = applyConfigLayer(DEFAULT_RESOLVED_CONFIG, {
      unitId: 'hq',
      version: 1,
      override: ZCaseConfigOverride.parse({ locks: ['escalation'] }),
    });
    const branch = ZCaseConfigOverride.parse({ escalation: DEFAULT_ESCALATION_POLICY });
    expect(paths(configOverrideIssues(branch, hq, { root: false }))).toEqual(['escalation']);
  });
});

describe('inheritance', () => {
  const shorter = (days: number): TCaseConfig['presets'] =>
    DEFAULT_CASE_CONFIG.presets.map((p) =>
      p.name === CN_NFRA_2020.name
        ? { ...p, clocks: p.clocks.map((c) => (c.name === 'decision' ? { ...c, amount: days } : c)) }
        : p,
    );

  it('a branch override wins over head office for its section only; the decision clock follows it', () => {
    const layers: ConfigLayer[] = [
      { unitId: 'hq', version: 3, override: ZCaseConfigOverride.parse({ presets: shorter(12) }) },
      { unitId: 'north', version: 1, override: ZCaseConfigOverride.parse({}) },
      { unitId: 'bj-cy', version: 2, override: ZCaseConfigOverride.parse({ presets: shorter(10) }) },
    ];
    const resolved = resolveCaseConfig(layers);
    expect(resolved.sources.presets).toEqual({ unitId: 'bj-cy', version: 2 });
    expect(resolved.sources.policy).toEqual({ unitId: null, version: 0 });
    const { clocks } = policyClocks(
      resolved.config.policy,
      { caseType: 'complaint', severity: 'medium', serviceLevel: 'unrated' },
      resolved.config.presets,
    );
    expect(clocks.resolution?.amount).toBe(10);
    const hqOnly = resolveCaseConfig(layers.slice(0, 2));
    expect(
      policyClocks(
        hqOnly.config.policy,
        { caseType: 'complaint', severity: 'medium', serviceLevel: 'unrated' },
        hqOnly.config.presets,
      ).clocks.resolution?.amount,
    ).toBe(12);
  });

  it('property: each section comes from the deepest layer that sets it and is not locked above it', () => {
    const arbLayer = fc.record({
      sets: fc.subarray([...CaseConfigSections]),
      locks: fc.subarray([...CaseConfigSections]),
    });
    fc.assert(
      fc.property(fc.array(arbLayer, { maxLength: 5 }), (specs) => {
        const layers: ConfigLayer[] = specs.map((spec, i) => {
          const override: TCaseConfigOverride = { locks: spec.locks };
          for (const s of spec.sets)
            (override as Record<CaseConfigSection, unknown>)[s] = DEFAULT_CASE_CONFIG[s];
          return { unitId: `u${i}`, version: i + 1, override };
        });
        const resolved = resolveCaseConfig(layers);
        for (const section of CaseConfigSections) {
          // Expected: walk down; once locked, later layers cannot take the section.
          let expected: string | null = null;
          let lockedAt = -1;
          specs.forEach((spec, i) => {
            if (lockedAt === -1 && spec.sets.includes(section)) expected = `u${i}`;
            if (lockedAt === -1 && spec.locks.includes(section)) lockedAt = i;
          });
          expect(resolved.sources[section].unitId).toBe(expected);
          expect(resolved.lockedBy[section]).toBe(lockedAt === -1 ? undefined : `u${lockedAt}`);
        }
      }),
    );
  });

  it('property: the default table stays valid when a branch scales every limit down', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (share) => {
        const lowered: TAuthorityTable = {
          currency: 'CNY',
          tiers: DEFAULT_AUTHORITY_TABLE.tiers.map((t) => ({
            ...t,
            limitMinor: t.limitMinor === null ? 100_000_000 : Math.floor(t.limitMinor * share),
          })),
        };
        // Scaling keeps every order (floor is monotonic) and never exceeds the parent.
        expect(authorityTableIssues(lowered, DEFAULT_AUTHORITY_TABLE)).toEqual([]);
      }),
    );
  });
});
