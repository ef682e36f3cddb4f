import { createHash } from 'node:crypto';
import { z } from 'zod';
import { problemsFromZod, type Problem } from '../../common/validation.js';
import { InputFileError, parseYaml, validateYaml } from '../../common/yaml.js';
import { validateParamOverrides, type ParamOverrides, type RuleSet } from '../../rules/engine/index.js';
import { networkModelOverrides, networkModelParams, networkModelSchema, type NetworkModel } from '../../rules/network-model.js';
import type { Store } from '../store/index.js';
import { manualControls } from './manual-controls.js';
import { tenantSettingsStore, type StoredNetworkModel, type StoredRuleSetting } from '../store/tenant-settings.js';

/** Below this a reason says nothing ("ok", "test"); the waiver form asks the same. */
export const MIN_REASON_LENGTH = 10;
const MAX_MODEL_BYTES = 1024 * 1024;
/** Model files up to this size are kept whole in the audit entry (old and new); larger ones by hash. */
const AUDIT_MODEL_BYTES = 64 * 1024;
export const NETWORK_MODEL_FILE = 'network-model.yaml';

export const reasonSchema = z
  .string({ error: (issue) => (issue.input === undefined ? 'en motivering krävs (a reason is required)' : 'ska vara en text (must be a string)') })
  .trim()
  .min(MIN_REASON_LENGTH, `skriv varför, minst ${MIN_REASON_LENGTH} tecken (state why, at least ${MIN_REASON_LENGTH} characters)`)
  .max(4000);

/** A day (`2027-03-01`) or a timestamp; a day means its end in UTC. */
export const dateSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })]).transform((v) => new Date(v.length === 10 ? `${v}T23:59:59Z` : v).toISOString());

export const ruleSettingRequestSchema = z.strictObject({
  /** Parameter overrides of the rule, replacing any before; `{}` for the defaults. */
  params: z.record(z.string(), z.unknown()).default({}),
  disabled: z.boolean().default(false),
  reason: reasonSchema,
  reviewAt: dateSchema.optional(),
});
export type RuleSettingRequest = z.input<typeof ruleSettingRequestSchema>;

export const networkModelRequestSchema = z.strictObject({
  /** The network model file's text (YAML, as `config/network-model.example.yaml`). */
  yaml: z.string({ error: 'nätmodellen som YAML-text krävs (the model as YAML text is required)' }).max(MAX_MODEL_BYTES),
  reason: reasonSchema,
});

export const reasonOnlySchema = z.strictObject({ reason: reasonSchema });

/** A change refused, with every problem named by path (and line, for a model file). */
export class SettingsError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map((p) => `${p.line !== undefined ? `rad ${p.line}: ` : ''}${p.path ? `${p.path}: ` : ''}${p.message}`).join('\n'));
    this.name = 'SettingsError';
  }

  static fromZod(error: z.ZodError): SettingsError {
    return new SettingsError(problemsFromZod(error));
  }
}

export interface SettingsContext {
  store: Store;
  ruleSet: RuleSet;
  /** Called after a change has committed: the tenant's stored facts are to be judged again. */
  onChanged?: (tenantId: string, what: 'settings' | 'attestation') => void;
}

export function presentSetting(row: StoredRuleSetting, now: Date) {
  return {
    ruleId: row.rule_id,
    params: JSON.parse(row.params) as Record<string, unknown>,
    disabled: row.disabled === 1,
    reason: row.reason,
    changedBy: row.changed_by,
    changedAt: row.changed_at,
    reviewAt: row.review_at,
    reviewDue: row.review_at !== null && row.review_at <= now.toISOString(),
  };
}
export type PresentedSetting = ReturnType<typeof presentSetting>;

function auditView(row: StoredRuleSetting | undefined) {
  return row ? { params: JSON.parse(row.params) as unknown, disabled: row.disabled === 1, reason: row.reason, reviewAt: row.review_at } : null;
}

function knownRule(ruleSet: RuleSet, ruleId: string): boolean {
  return ruleSet.byId.has(ruleId) || manualControls(ruleSet).some((c) => c.id === ruleId);
}

/**
 * Sets one rule's parameters and whether it is disabled, replacing what was set before;
 * no parameters and not disabled removes the setting. The reason is required. Parameters
 * are checked against the rule (problems name rule and parameter: `BV-AV-002.maxSignatureAgeDays`).
 */
export async function setRuleSetting(ctx: SettingsContext, tenantId: string, ruleId: string, input: unknown, actor: string, now: Date): Promise<PresentedSetting | null> {
  const parsed = ruleSettingRequestSchema.safeParse(input);
  if (!parsed.success) throw SettingsError.fromZod(parsed.error);
  const request = parsed.data;
  if (!knownRule(ctx.ruleSet, ruleId)) throw new SettingsError([{ path: 'ruleId', message: `okänd regel "${ruleId}" (unknown rule)` }]);
  if (Object.keys(request.params).length > 0) {
    const problems = validateParamOverrides(ctx.ruleSet, { [ruleId]: request.params });
    if (problems.length > 0) throw new SettingsError(problems.map((p) => ({ ...p, path: `params.${p.path}` })));
  }
  if (request.reviewAt !== undefined && request.reviewAt <= now.toISOString()) {
    throw new SettingsError([{ path: 'reviewAt', message: 'granskningsdatumet ska ligga i framtiden (the review date must be in the future)' }]);
  }
  const keep = request.disabled || Object.keys(request.params).length > 0;
  const next: StoredRuleSetting | undefined = keep
    ? {
        tenant_id: tenantId,
        rule_id: ruleId,
        params: JSON.stringify(request.params),
        disabled: request.disabled ? 1 : 0,
        reason: request.reason,
        changed_by: actor,
        changed_at: now.toISOString(),
        review_at: request.reviewAt ?? null,
      }
    : undefined;
  await tenantSettingsStore(ctx.store).change(tenantId, ruleId, next, (previous) => ({
    actor,
    action: next ? 'rule-setting.changed' : 'rule-setting.removed',
    details: { ruleId, reason: request.reason, old: auditView(previous), new: auditView(next) },
    at: now,
  }));
  ctx.onChanged?.(tenantId, 'settings');
  return next ? presentSetting(next, now) : null;
}

/** One `name=value`, typed after the parameter's default in the rule (`2` a number, `a,b` a list). */
function typedParam(text: string, ruleSet: RuleSet, ruleId: string): [string, unknown] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new SettingsError([{ path: 'params', message: `skriv parametrar som namn=värde, inte "${text}" (write name=value)` }]);
  const key = text.slice(0, eq).trim();
  const raw = text.slice(eq + 1).trim();
  const fallback = ruleSet.byId.get(ruleId)?.params[key];
  if (typeof fallback === 'number') return [key, raw === '' || Number.isNaN(Number(raw)) ? raw : Number(raw)];
  if (typeof fallback === 'boolean') return [key, raw === 'true' ? true : raw === 'false' ? false : raw];
  if (Array.isArray(fallback)) {
    if (raw.startsWith('[')) {
      try {
        return [key, JSON.parse(raw) as unknown];
      } catch {
        return [key, raw];
      }
    }
    const items = raw === '' ? [] : raw.split(',').map((s) => s.trim());
    return [key, typeof fallback[0] === 'number' ? items.map(Number) : items];
  }
  // A string, or a key the rule does not have (refused later, naming the rule's keys).
  return [key, raw];
}

/** Parameters written as `name=value` lines (command line, dashboard form). */
export function paramsFromText(lines: readonly string[], ruleSet: RuleSet, ruleId: string): Record<string, unknown> {
  return Object.fromEntries(lines.map((l) => l.trim()).filter(Boolean).map((l) => typedParam(l, ruleSet, ruleId)));
}

/** Parses and checks a network model file's text; problems carry their line. */
export function parseNetworkModel(yaml: string): NetworkModel {
  if (Buffer.byteLength(yaml, 'utf8') > MAX_MODEL_BYTES) throw new SettingsError([{ path: 'yaml', message: `nätmodellen är större än ${MAX_MODEL_BYTES} byte (model too large)` }]);
  try {
    return validateYaml(parseYaml(yaml, NETWORK_MODEL_FILE), networkModelSchema, NETWORK_MODEL_FILE);
  } catch (error) {
    if (error instanceof InputFileError) throw new SettingsError(error.problems);
    throw error;
  }
}

function modelAuditView(yaml: string | undefined) {
  if (yaml === undefined) return null;
  const sha256 = createHash('sha256').update(yaml, 'utf8').digest('hex');
  return Buffer.byteLength(yaml, 'utf8') <= AUDIT_MODEL_BYTES ? { sha256, yaml } : { sha256, bytes: Buffer.byteLength(yaml, 'utf8') };
}

/** Uploads (or replaces) the tenant's network model; `yaml` undefined removes it. */
export async function setNetworkModel(ctx: SettingsContext, tenantId: string, input: unknown, actor: string, now: Date, remove = false): Promise<{ params: Record<string, string[]> } | null> {
  const parsed = (remove ? reasonOnlySchema : networkModelRequestSchema).safeParse(input);
  if (!parsed.success) throw SettingsError.fromZod(parsed.error);
  const yaml = 'yaml' in parsed.data ? (parsed.data.yaml as string) : undefined;
  const model = yaml === undefined ? undefined : parseNetworkModel(yaml);
  const next: StoredNetworkModel | undefined = yaml === undefined ? undefined : { tenant_id: tenantId, yaml, reason: parsed.data.reason, changed_by: actor, changed_at: now.toISOString() };
  await tenantSettingsStore(ctx.store).changeNetworkModel(tenantId, next, (previous) => ({
    actor,
    action: next ? 'network-model.replaced' : 'network-model.removed',
    details: { reason: parsed.data.reason, old: modelAuditView(previous?.yaml), new: modelAuditView(yaml) },
    at: now,
  }));
  ctx.onChanged?.(tenantId, 'settings');
  return model ? { params: networkModelParams(model) } : null;
}

export function presentNetworkModel(row: StoredNetworkModel | undefined) {
  if (!row) return null;
  let params: Record<string, string[]> | null = null;
  let problems: Problem[] = [];
  try {
    params = networkModelParams(parseNetworkModel(row.yaml));
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    problems = error.problems;
  }
  return { yaml: row.yaml, reason: row.reason, changedBy: row.changed_by, changedAt: row.changed_at, params, problems };
}

/** What one tenant's rules are judged with, at one settings version. */
export interface TenantRules {
  tenantId: string;
  version: number;
  /** The network model's parameters with the explicit overrides laid over them; valid for the rule set. */
  params: ParamOverrides;
  disabled: ReadonlyMap<string, { reason: string; changedBy: string; changedAt: string }>;
  /** Stored settings the loaded rules no longer accept (a rule or parameter gone); they are not applied. */
  problems: Problem[];
}

export function defaultTenantRules(tenantId: string): TenantRules {
  return { tenantId, version: 0, params: {}, disabled: new Map(), problems: [] };
}

/** Reads a tenant's settings and turns them into evaluation input for this rule set. */
export async function loadTenantRules(store: Store, ruleSet: RuleSet, tenantId: string): Promise<TenantRules> {
  const { version, settings, networkModel } = await tenantSettingsStore(store).load(tenantId);
  const problems: Problem[] = [];
  const params: Record<string, Record<string, unknown>> = {};
  if (networkModel) {
    try {
      for (const [ruleId, values] of Object.entries(networkModelOverrides(parseNetworkModel(networkModel.yaml), ruleSet))) params[ruleId] = { ...values };
    } catch (error) {
      if (!(error instanceof SettingsError)) throw error;
      problems.push(...error.problems.map((p) => ({ ...p, path: `networkModel${p.path ? `.${p.path}` : ''}` })));
    }
  }
  const disabled = new Map<string, { reason: string; changedBy: string; changedAt: string }>();
  for (const row of settings) {
    if (!knownRule(ruleSet, row.rule_id)) {
      problems.push({ path: row.rule_id, message: 'regeln finns inte i de laddade regelpaketen; inställningen används inte (rule not loaded; setting not applied)' });
      continue;
    }
    if (row.disabled === 1) disabled.set(row.rule_id, { reason: row.reason, changedBy: row.changed_by, changedAt: row.changed_at });
    const overrides = JSON.parse(row.params) as Record<string, unknown>;
    if (Object.keys(overrides).length === 0) continue;
    const invalid = validateParamOverrides(ruleSet, { [row.rule_id]: overrides });
    if (invalid.length > 0) {
      problems.push(...invalid.map((p) => ({ ...p, message: `${p.message}; inställningen används inte (setting not applied)` })));
      continue;
    }
    params[row.rule_id] = { ...params[row.rule_id], ...overrides };
  }
  return { tenantId, version, params, disabled, problems };
}

/** Everything the settings views show for a tenant. */
export async function settingsOverview(store: Store, ruleSet: RuleSet, tenantId: string, now: Date) {
  const settingsStore = tenantSettingsStore(store);
  const [version, rows, model, rules] = await Promise.all([settingsStore.version(tenantId), settingsStore.list(tenantId), settingsStore.networkModel(tenantId), loadTenantRules(store, ruleSet, tenantId)]);
  return {
    tenant: tenantId,
    version: version.version,
    judgedVersion: version.judgedVersion,
    /** The stored findings were judged with older settings; they are being judged again. */
    stale: version.judgedVersion < version.version,
    settings: rows.map((r) => presentSetting(r, now)),
    networkModel: presentNetworkModel(model),
    problems: rules.problems,
  };
}
