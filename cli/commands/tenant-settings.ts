import { readInputFile } from '../../common/yaml.js';
import type { CollectorConfig } from '../../collector/config/schema.js';
import { attestControl, listControls } from '../../collector/services/attestations.js';
import { rejudgeNow } from '../../collector/services/rejudge.js';
import { NETWORK_MODEL_FILE, paramsFromText, setNetworkModel, setRuleSetting, settingsOverview, SettingsError, type SettingsContext } from '../../collector/services/tenant-settings.js';
import type { Store } from '../../collector/store/index.js';
import { tenantSettingsStore } from '../../collector/store/tenant-settings.js';
import { BUNDLED_RULE_DIRS, loadRules } from '../../rules/engine/index.js';
import { choiceOption, requireOption, stringOption, UsageError } from '../args.js';
import type { Lang } from '../i18n.js';
import { localActor } from './shared.js';

type Values = Record<string, string | boolean | string[] | undefined>;

async function requireTenant(store: Store, tenantId: string | undefined, lang: Lang): Promise<string> {
  if (!tenantId || !(await store.getTenant(tenantId))) throw new UsageError(lang === 'sv' ? `okänd organisation ${tenantId ?? ''}` : `unknown tenant ${tenantId ?? ''}`);
  return tenantId;
}

function refused(error: unknown, lang: Lang, what: string): never {
  if (error instanceof SettingsError) throw new UsageError(`${what}:\n${error.message}`);
  void lang;
  throw error;
}

async function context(store: Store, config: CollectorConfig): Promise<SettingsContext> {
  return { store, ruleSet: await loadRules([...BUNDLED_RULE_DIRS, ...config.rules.directories]) };
}

async function judgeAgain(ctx: SettingsContext, tenantId: string, what: 'settings' | 'attestation', lang: Lang): Promise<void> {
  const done = await rejudgeNow(ctx.store, ctx.ruleSet, tenantId, what, new Date());
  process.stdout.write(
    lang === 'sv'
      ? `Resultaten är bedömda igen med de nya inställningarna (${done.findings} resultat).\n`
      : `Findings judged again with the new settings (${done.findings} findings).\n`,
  );
}

/** `tenant rules set|disable|enable|reset|list TENANT [RULE] [key=value …] --reason TEXT`. */
export async function rulesSubcommand(store: Store, config: CollectorConfig, positionals: string[], values: Values, lang: Lang): Promise<number> {
  const [action, given, ruleId, ...rest] = positionals;
  const tenantId = await requireTenant(store, given, lang);
  const ctx = await context(store, config);
  const now = new Date();
  if (action === 'list') {
    const overview = await settingsOverview(store, ctx.ruleSet, tenantId, now);
    if (choiceOption(values, 'format', ['table', 'json'] as const, 'table', lang) === 'json') {
      process.stdout.write(JSON.stringify(overview, null, 2) + '\n');
      return 0;
    }
    if (overview.settings.length === 0) process.stdout.write(lang === 'sv' ? 'Inga regelinställningar: alla regler gäller med standardvärden.\n' : 'No rule settings: every rule applies with its defaults.\n');
    for (const s of overview.settings) {
      const what = [s.disabled ? (lang === 'sv' ? 'AVSTÄNGD' : 'DISABLED') : '', Object.entries(s.params).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ')].filter(Boolean).join(' ');
      process.stdout.write(`${s.ruleId}\t${what}\t${s.reason}\t${s.changedBy} ${s.changedAt}${s.reviewAt ? `\t${lang === 'sv' ? 'granskas' : 'review'} ${s.reviewAt.slice(0, 10)}` : ''}\n`);
    }
    if (overview.networkModel) process.stdout.write(`${lang === 'sv' ? 'nätmodell' : 'network model'}\t${overview.networkModel.reason}\t${overview.networkModel.changedBy} ${overview.networkModel.changedAt}\n`);
    for (const p of overview.problems) process.stdout.write(`${lang === 'sv' ? 'används inte' : 'not applied'}: ${p.path}: ${p.message}\n`);
    return 0;
  }
  if (!['set', 'disable', 'enable', 'reset'].includes(action ?? '') || !ruleId) {
    throw new UsageError(lang === 'sv' ? 'skriv "tenant rules set|disable|enable|reset ID REGEL … --reason TEXT" eller "tenant rules list ID"' : 'write "tenant rules set|disable|enable|reset ID RULE … --reason TEXT" or "tenant rules list ID"');
  }
  const reason = requireOption(values, 'reason', lang);
  const current = await tenantSettingsStore(store).get(tenantId, ruleId);
  let params = current ? (JSON.parse(current.params) as Record<string, unknown>) : {};
  let disabled = current?.disabled === 1;
  if (action === 'set') {
    if (rest.length === 0) throw new UsageError(lang === 'sv' ? 'ange minst en parameter som namn=värde' : 'give at least one parameter as name=value');
    try {
      params = { ...params, ...paramsFromText(rest, ctx.ruleSet, ruleId) };
    } catch (error) {
      refused(error, lang, lang === 'sv' ? `inställningen för ${ruleId} sparades inte` : `the setting for ${ruleId} was not saved`);
    }
  } else if (action === 'disable') disabled = true;
  else if (action === 'enable') disabled = false;
  else {
    params = {};
    disabled = false;
  }
  const reviewAt = stringOption(values, 'review');
  try {
    await setRuleSetting(ctx, tenantId, ruleId, { params, disabled, reason, ...(reviewAt ? { reviewAt } : {}) }, localActor(), now);
  } catch (error) {
    refused(error, lang, lang === 'sv' ? `inställningen för ${ruleId} sparades inte` : `the setting for ${ruleId} was not saved`);
  }
  const summary = disabled ? (lang === 'sv' ? 'avstängd' : 'disabled') : Object.keys(params).length > 0 ? JSON.stringify(params) : lang === 'sv' ? 'standardvärden' : 'defaults';
  process.stdout.write(lang === 'sv' ? `${ruleId} för ${tenantId}: ${summary}.\n` : `${ruleId} for ${tenantId}: ${summary}.\n`);
  await judgeAgain(ctx, tenantId, 'settings', lang);
  return 0;
}

/** `tenant network-model TENANT FILE --reason TEXT` (or `--remove`). */
export async function networkModelSubcommand(store: Store, config: CollectorConfig, positionals: string[], values: Values, lang: Lang): Promise<number> {
  const [, given, file] = positionals;
  const tenantId = await requireTenant(store, given, lang);
  const remove = Boolean(values.remove);
  if (!file && !remove) throw new UsageError(lang === 'sv' ? 'skriv "tenant network-model ID FIL --reason TEXT"' : 'write "tenant network-model ID FILE --reason TEXT"');
  const reason = requireOption(values, 'reason', lang);
  const ctx = await context(store, config);
  try {
    const yaml = remove ? undefined : await readInputFile(file!);
    await setNetworkModel(ctx, tenantId, yaml === undefined ? { reason } : { yaml, reason }, localActor(), new Date(), remove);
  } catch (error) {
    // The problems name lines of the caller's file, not of the stored copy's name.
    if (error instanceof SettingsError) throw new UsageError(`${lang === 'sv' ? 'nätmodellen sparades inte' : 'the network model was not saved'}:\n${error.message.split('\n').map((l) => `${file ?? NETWORK_MODEL_FILE}: ${l}`).join('\n')}`);
    throw error;
  }
  process.stdout.write(remove ? (lang === 'sv' ? `Nätmodellen för ${tenantId} är borttagen.\n` : `Network model of ${tenantId} removed.\n`) : lang === 'sv' ? `Nätmodellen för ${tenantId} är sparad.\n` : `Network model of ${tenantId} saved.\n`);
  await judgeAgain(ctx, tenantId, 'settings', lang);
  return 0;
}

/** `tenant attest TENANT CONTROL --outcome met|not_met --evidence REF [--next-review DATE] --reason TEXT`. */
export async function attestSubcommand(store: Store, config: CollectorConfig, positionals: string[], values: Values, lang: Lang): Promise<number> {
  const [, given, controlId] = positionals;
  const tenantId = await requireTenant(store, given, lang);
  if (!controlId) throw new UsageError(lang === 'sv' ? 'skriv "tenant attest ID KONTROLL --outcome met|not_met --evidence REF --reason TEXT"' : 'write "tenant attest ID CONTROL --outcome met|not_met --evidence REF --reason TEXT"');
  requireOption(values, 'outcome', lang);
  const outcome = choiceOption(values, 'outcome', ['met', 'not_met'] as const, 'met', lang);
  const request = { outcome, evidenceRef: requireOption(values, 'evidence', lang), reason: requireOption(values, 'reason', lang), ...(stringOption(values, 'next-review') ? { nextReviewAt: stringOption(values, 'next-review') } : {}) };
  const ctx = await context(store, config);
  let control;
  try {
    control = await attestControl(ctx, tenantId, controlId, request, localActor(), new Date());
  } catch (error) {
    refused(error, lang, lang === 'sv' ? `intyget för ${controlId} sparades inte` : `the attestation of ${controlId} was not saved`);
  }
  process.stdout.write(
    lang === 'sv'
      ? `${controlId} för ${tenantId}: ${outcome === 'met' ? 'uppfylld' : 'inte uppfylld'}, intygad av ${control.attestation?.attestedBy}, nästa granskning ${control.attestation?.nextReviewAt.slice(0, 10)}.\n`
      : `${controlId} for ${tenantId}: ${outcome === 'met' ? 'met' : 'not met'}, attested by ${control.attestation?.attestedBy}, next review ${control.attestation?.nextReviewAt.slice(0, 10)}.\n`,
  );
  await judgeAgain(ctx, tenantId, 'attestation', lang);
  return 0;
}

const STATE_TEXT = {
  sv: { met: 'uppfylld', not_met: 'inte uppfylld', missing: 'inte intygad', expired: 'intyget har gått ut' },
  en: { met: 'met', not_met: 'not met', missing: 'not attested', expired: 'attestation expired' },
} as const;

/** `tenant controls TENANT`: the manual controls and where each stands. */
export async function controlsSubcommand(store: Store, config: CollectorConfig, positionals: string[], values: Values, lang: Lang): Promise<number> {
  const tenantId = await requireTenant(store, positionals[1], lang);
  const controls = await listControls(await context(store, config), tenantId, new Date());
  if (choiceOption(values, 'format', ['table', 'json'] as const, 'table', lang) === 'json') {
    process.stdout.write(JSON.stringify({ tenant: tenantId, controls }, null, 2) + '\n');
    return 0;
  }
  for (const c of controls) {
    const a = c.attestation;
    process.stdout.write(`${c.id}\t${STATE_TEXT[lang][c.state]}${c.dueSoon ? (lang === 'sv' ? ' (granskas snart)' : ' (review due soon)') : ''}\t${c.question[lang]}${a ? `\t${a.attestedBy} ${a.attestedAt.slice(0, 10)} → ${a.nextReviewAt.slice(0, 10)}\t${a.evidenceRef}` : ''}\n`);
  }
  return 0;
}
