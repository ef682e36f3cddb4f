import type { Store } from '../store/index.js';

/**
 * The numbers behind the SSO and 2FA goals, as the tenant findings' evidence holds them, for
 * the overview: a percentage is never shown without the people it was counted from.
 */
export interface IdentityNumbers {
  sso: { status: string; numerator: number; denominator: number; percent: number | null; minPercent: number | null; notSso: string[] } | null;
  mfa: { status: string; sensitiveUsers: number; withoutMfa: number; percent: number | null; names: string[] } | null;
  /** Why a count is incomplete (shown instead of a figure that would be too small). */
  incomplete: string[];
}

const SSO_RULE = 'BV-SSO-001';
const MFA_RULE = 'BV-MFA-010';

type Evidence = { path: string; value: unknown };

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export async function identityNumbers(store: Store, tenantId: string): Promise<IdentityNumbers> {
  const rows = await store.listFindings(tenantId, { targetKind: 'tenant', ruleIds: [SSO_RULE, MFA_RULE] });
  const evidenceOf = (ruleId: string) => {
    const row = rows.find((r) => r.rule_id === ruleId);
    if (!row) return undefined;
    const evidence = row.evidence as Evidence[];
    const value = (path: string) => evidence.find((e) => e.path === path)?.value;
    return { row, value };
  };
  const incomplete = new Set<string>();
  const sso = evidenceOf(SSO_RULE);
  const mfa = evidenceOf(MFA_RULE);
  for (const e of [sso && strings(sso.value('tenant.identityCoverage.sso.incomplete')), mfa && strings(mfa.value('tenant.identityCoverage.mfa.incomplete'))]) {
    for (const reason of e ?? []) incomplete.add(reason);
  }
  const ssoSystems = (sso?.value('tenant.identityCoverage.sso.systems') ?? []) as { name?: unknown; sso?: unknown }[];
  const params = sso ? (JSON.parse(sso.row.params) as Record<string, unknown>) : {};
  return {
    sso:
      sso && sso.value('tenant.identityCoverage.sso.denominator') !== undefined
        ? {
            status: sso.row.status,
            numerator: num(sso.value('tenant.identityCoverage.sso.numerator')),
            denominator: num(sso.value('tenant.identityCoverage.sso.denominator')),
            percent: (sso.value('tenant.identityCoverage.sso.percent') as number | null) ?? null,
            minPercent: typeof params.minPercent === 'number' ? params.minPercent : null,
            notSso: ssoSystems.filter((s) => s.sso === false && typeof s.name === 'string').map((s) => s.name as string),
          }
        : null,
    mfa:
      mfa && mfa.value('tenant.identityCoverage.mfa.sensitiveUsers') !== undefined
        ? {
            status: mfa.row.status,
            sensitiveUsers: num(mfa.value('tenant.identityCoverage.mfa.sensitiveUsers')),
            withoutMfa: num(mfa.value('tenant.identityCoverage.mfa.sensitiveUsersWithoutMfa')),
            percent: (mfa.value('tenant.identityCoverage.mfa.percent') as number | null) ?? null,
            names: strings(mfa.value('tenant.identityCoverage.mfa.withoutMfa')),
          }
        : null,
    incomplete: [...incomplete],
  };
}
