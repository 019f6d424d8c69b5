import { z } from 'zod';
import { AppError } from '../shared/errors.ts';
import { CaseServiceLevels, CaseTypes, Severities } from './case-model.ts';
import { authorityTableIssues, DEFAULT_AUTHORITY_TABLE, ZAuthorityTable } from './compensation.ts';
import { DEFAULT_ESCALATION_POLICY, escalationPolicyIssues, ZEscalationPolicy } from './escalation.ts';
import {
  DEFAULT_CN_SLA_POLICY,
  PolicyClockRoles,
  resolveClockRef,
  selectPolicyRule,
  ZSlaPolicy,
} from './sla-policy.ts';
import { BUILT_IN_PRESETS } from './sla-presets.ts';
import { ZSlaPreset } from './sla-schema.ts';

/**
 * The case engine's configuration, stored per org unit and inherited down the org tree: head
 * office sets the defaults, a region or branch overrides whole sections where head office (or a
 * unit in between) has not locked them. Each saved override is a new version; nothing is
 * deleted. A case keeps the resolved configuration it was opened under, so changing a policy
 * never moves an open case's deadlines.
 *
 * Sections: `presets` (regulatory clock definitions, editable only to be stricter), `policy`
 * (case type × severity × service level → clocks), `escalation` (the default chain) and
 * `authority` (compensation limits per role and level).
 */

export const CaseConfigSections = ['presets', 'policy', 'escalation', 'authority'] as const;
export type CaseConfigSection = (typeof CaseConfigSections)[number];

export const ZCaseConfig = z.strictObject({
  presets: z.array(ZSlaPreset).min(1).max(20),
  policy: ZSlaPolicy,
  escalation: ZEscalationPolicy,
  authority: ZAuthorityTable,
});
export type TCaseConfig = z.infer<typeof ZCaseConfig>;

/** What one unit stores: the sections it overrides, and the sections it locks for the units below it. */
export const ZCaseConfigOverride = z.strictObject({
  presets: ZCaseConfig.shape.presets.optional(),
  policy: ZSlaPolicy.optional(),
  escalation: ZEscalationPolicy.optional(),
  authority: ZAuthorityTable.optional(),
  locks: z.array(z.enum(CaseConfigSections)).max(CaseConfigSections.length).default([]),
});
export type TCaseConfigOverride = z.infer<typeof ZCaseConfigOverride>;
export type TCaseConfigOverrideInput = z.input<typeof ZCaseConfigOverride>;

/** The code defaults: what a bank starts from (and what head office has before it saves anything). */
export const DEFAULT_CASE_CONFIG: TCaseConfig = ZCaseConfig.parse({
  presets: Object.values(BUILT_IN_PRESETS),
  policy: DEFAULT_CN_SLA_POLICY,
  escalation: DEFAULT_ESCALATION_POLICY,
  authority: DEFAULT_AUTHORITY_TABLE,
});

/**
 * A broken rule: `path` into the configuration, `message` in English (for API callers and
 * logs), `rule` and `params` so a screen can say it in the user's language.
 */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
  readonly rule: string;
  readonly params: Readonly<Record<string, string | number | null>>;
}

const at = (prefix: string, issues: readonly ConfigIssue[]): ConfigIssue[] =>
  issues.map((i) => ({ ...i, path: i.path ? `${prefix}.${i.path}` : prefix }));

/**
 * A built-in regulatory preset may be edited only to be stricter: every clock stays (the engine,
 * the CLI and policies refer to them by name), keeps its counting mode, and its amount (and each
 * extension's) may not exceed the regulation's.
 */
function presetIssues(presets: TCaseConfig['presets']): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const names = new Set<string>();
  presets.forEach((p, i) => {
    if (names.has(p.name)) {
      issues.push({
        path: `${i}.name`,
        message: `preset ${p.name} is listed twice`,
        rule: 'preset_duplicate',
        params: { preset: p.name },
      });
    }
    names.add(p.name);
  });
  for (const builtIn of Object.values(BUILT_IN_PRESETS)) {
    const index = presets.findIndex((p) => p.name === builtIn.name);
    const edited = presets[index];
    if (!edited) {
      issues.push({
        path: '',
        message: `the regulatory preset ${builtIn.name} cannot be removed`,
        rule: 'preset_removed',
        params: { preset: builtIn.name },
      });
      continue;
    }
    for (const rule of builtIn.clocks) {
      const ci = edited.clocks.findIndex((c) => c.name === rule.name);
      const clock = edited.clocks[ci];
      if (!clock) {
        issues.push({
          path: `${index}.clocks`,
          message: `${builtIn.name} must keep its clock ${rule.name}`,
          rule: 'preset_clock_missing',
          params: { preset: builtIn.name, clock: rule.name },
        });
        continue;
      }
      const path = `${index}.clocks.${ci}`;
      if (clock.mode !== rule.mode) {
        issues.push({
          path: `${path}.mode`,
          message: `${rule.name} counts ${rule.mode} by regulation`,
          rule: 'preset_mode',
          params: { clock: rule.name, mode: rule.mode },
        });
      } else if (clock.amount > rule.amount) {
        issues.push({
          path: `${path}.amount`,
          message: `${rule.name}: at most ${rule.amount} (the regulation's limit); a bank may only be stricter`,
          rule: 'preset_looser',
          params: { clock: rule.name, max: rule.amount, mode: rule.mode },
        });
      }
      for (const ext of clock.extensions) {
        const reg = rule.extensions.find((e) => e.id === ext.id);
        if (!reg || ext.amount > reg.amount) {
          issues.push({
            path: `${path}.extensions`,
            message: `${rule.name}: extension ${ext.id} is not allowed beyond the regulation`,
            rule: 'preset_extension',
            params: { clock: rule.name, extension: ext.id },
          });
        }
      }
    }
  }
  return issues;
}

function policyIssues(config: TCaseConfig): ConfigIssue[] {
  const { policy, presets } = config;
  const issues: ConfigIssue[] = [];
  const ids = new Set<string>();
  policy.rules.forEach((rule, i) => {
    if (ids.has(rule.id)) {
      issues.push({
        path: `rules.${i}.id`,
        message: `rule ${rule.id} is listed twice`,
        rule: 'rule_duplicate',
        params: { rule: rule.id },
      });
    }
    ids.add(rule.id);
    for (const role of PolicyClockRoles) {
      const ref = rule.clocks[role];
      if (!ref) continue;
      try {
        resolveClockRef(ref, presets);
      } catch (error) {
        issues.push({
          path: `rules.${i}.clocks.${role}`,
          message: error instanceof AppError ? error.message : String(error),
          rule: 'clock_ref',
          params: { ref: 'preset' in ref ? `${ref.preset} · ${ref.clock}` : ref.name },
        });
      }
    }
    if (rule.escalation) issues.push(...at(`rules.${i}.escalation`, escalationPolicyIssues(rule.escalation)));
  });
  // Every case must find its clocks: each type × severity × service level needs a matching rule.
  for (const caseType of CaseTypes) {
    const missing: string[] = [];
    for (const severity of Severities) {
      for (const serviceLevel of CaseServiceLevels) {
        try {
          selectPolicyRule(policy, { caseType, severity, serviceLevel });
        } catch {
          missing.push(`${severity}/${serviceLevel}`);
        }
      }
    }
    if (missing.length > 0) {
      const sample = missing.slice(0, 3).join(', ');
      issues.push({
        path: 'rules',
        message: `no rule covers ${caseType} (${sample}${missing.length > 3 ? ', …' : ''})`,
        rule: 'rule_uncovered',
        params: { caseType, sample },
      });
    }
  }
  return issues;
}

/** Everything wrong with a complete configuration, with paths like `escalation.steps.1.level`. */
export function caseConfigIssues(config: TCaseConfig): ConfigIssue[] {
  return [
    ...at('presets', presetIssues(config.presets)),
    ...at('policy', policyIssues(config)),
    ...at('escalation', escalationPolicyIssues(config.escalation)),
    ...at('authority', authorityTableIssues(config.authority)),
  ];
}

/** One stored override in the chain from head office down to a unit. */
export interface ConfigLayer {
  readonly unitId: string;
  readonly version: number;
  readonly override: TCaseConfigOverride;
}

/** Where a section's value comes from: a unit's version, or `unitId: null` for the code defaults. */
export interface SectionSource {
  readonly unitId: string | null;
  readonly version: number;
}

export interface ResolvedCaseConfig {
  readonly config: TCaseConfig;
  readonly sources: Readonly<Record<CaseConfigSection, SectionSource>>;
  /** Sections locked by a unit, so units below it cannot override them. */
  readonly lockedBy: Readonly<Partial<Record<CaseConfigSection, string>>>;
}

export const DEFAULT_RESOLVED_CONFIG: ResolvedCaseConfig = {
  config: DEFAULT_CASE_CONFIG,
  sources: {
    presets: { unitId: null, version: 0 },
    policy: { unitId: null, version: 0 },
    escalation: { unitId: null, version: 0 },
    authority: { unitId: null, version: 0 },
  },
  lockedBy: {},
};

/** Applies one layer below `above`: its unlocked sections win; its locks apply to the units below it. */
export function applyConfigLayer(above: ResolvedCaseConfig, layer: ConfigLayer): ResolvedCaseConfig {
  const config: TCaseConfig = { ...above.config };
  const sources = { ...above.sources };
  const lockedBy = { ...above.lockedBy };
  for (const section of CaseConfigSections) {
    const value = layer.override[section];
    if (value === undefined || above.lockedBy[section] !== undefined) continue;
    (config as Record<CaseConfigSection, unknown>)[section] = value;
    sources[section] = { unitId: layer.unitId, version: layer.version };
  }
  for (const section of layer.override.locks) lockedBy[section] ??= layer.unitId;
  return { config, sources, lockedBy };
}

/** The configuration of a unit from the layers of its chain, head office first. */
export function resolveCaseConfig(
  layers: readonly ConfigLayer[],
  base: ResolvedCaseConfig = DEFAULT_RESOLVED_CONFIG,
): ResolvedCaseConfig {
  return layers.reduce(applyConfigLayer, base);
}

/**
 * What is wrong with a unit's override, given the resolved configuration of the units above it:
 * a section locked above; below the root, authority limits above the parent's; and anything wrong with the
 * configuration that would result.
 */
export function configOverrideIssues(
  override: TCaseConfigOverride,
  above: ResolvedCaseConfig,
  options: { readonly root: boolean },
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const section of CaseConfigSections) {
    if (override[section] !== undefined && above.lockedBy[section] !== undefined) {
      issues.push({
        path: section,
        message: `${section} is locked by a unit above; it cannot be overridden here`,
        rule: 'section_locked',
        params: { section },
      });
    }
  }
  // Below head office a unit may lower limits, never raise them above what the units above allow.
  if (override.authority && !options.root) {
    issues.push(...at('authority', authorityTableIssues(override.authority, above.config.authority)));
  }
  const merged = applyConfigLayer(above, { unitId: '', version: 0, override });
  issues.push(...caseConfigIssues(merged.config));
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}|${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
