import type { PasswordPolicyValue } from '../../../report/facts/directory.js';
import { FactError } from '../fact.js';
import { intervalDays, intervalMinutes, parseBoolean, parseCount, parseInteger, rdnValue } from './decode.js';
import { dnsNameOf, required, type DirectoryContext } from './context.js';
import type { Row } from './search.js';

export const DOMAIN_POLICY_ATTRIBUTES = [
  'minPwdLength', 'pwdHistoryLength', 'maxPwdAge', 'minPwdAge', 'lockoutThreshold', 'lockoutDuration', 'lockOutObservationWindow', 'pwdProperties',
  'msDS-Behavior-Version', 'objectSid',
];

const PSO_ATTRIBUTES = [
  'cn', 'msDS-PasswordSettingsPrecedence', 'msDS-MinimumPasswordLength', 'msDS-PasswordHistoryLength', 'msDS-PasswordComplexityEnabled',
  'msDS-PasswordReversibleEncryptionEnabled', 'msDS-MinimumPasswordAge', 'msDS-MaximumPasswordAge', 'msDS-LockoutThreshold',
  'msDS-LockoutObservationWindow', 'msDS-LockoutDuration', 'msDS-PSOAppliesTo',
];

const PWD_PROPERTIES_COMPLEX = 0x1n;
const PWD_PROPERTIES_STORE_CLEARTEXT = 0x10n;

/** The domain policy's name in reports: the domain's DNS name. */
export function domainPolicyName(ctx: DirectoryContext): string {
  return dnsNameOf(ctx.namingContext) ?? ctx.namingContext;
}

export function domainPolicy(ctx: DirectoryContext, head: Row): PasswordPolicyValue {
  const properties = parseInteger('pwdProperties', required(head, 'pwdProperties'));
  return {
    name: domainPolicyName(ctx),
    kind: 'domain' as const,
    dn: head.dn,
    isDefault: true,
    precedence: null,
    appliesTo: [],
    appliesToCount: 0,
    minLength: parseCount('minPwdLength', required(head, 'minPwdLength')),
    historyLength: parseCount('pwdHistoryLength', required(head, 'pwdHistoryLength')),
    maxAgeDays: intervalDays('maxPwdAge', required(head, 'maxPwdAge')),
    minAgeDays: intervalDays('minPwdAge', required(head, 'minPwdAge')) ?? 0,
    lockoutThreshold: parseCount('lockoutThreshold', required(head, 'lockoutThreshold')),
    lockoutDurationMinutes: intervalMinutes('lockoutDuration', required(head, 'lockoutDuration')),
    lockoutWindowMinutes: intervalMinutes('lockOutObservationWindow', required(head, 'lockOutObservationWindow')),
    complexity: (properties & PWD_PROPERTIES_COMPLEX) !== 0n,
    qualityCheck: null,
    reversibleEncryption: (properties & PWD_PROPERTIES_STORE_CLEARTEXT) !== 0n,
    attributes: {
      minLength: 'minPwdLength', historyLength: 'pwdHistoryLength', maxAgeDays: 'maxPwdAge', minAgeDays: 'minPwdAge',
      lockoutThreshold: 'lockoutThreshold', lockoutDurationMinutes: 'lockoutDuration', lockoutWindowMinutes: 'lockOutObservationWindow',
      complexity: 'pwdProperties & 0x1', reversibleEncryption: 'pwdProperties & 0x10',
    },
  };
}

function psoPolicy(row: Row): PasswordPolicyValue {
  const appliesTo = row.all('msDS-PSOAppliesTo').map(rdnValue).sort();
  const intervalOrZero = (attribute: string): number => intervalDays(attribute, required(row, attribute)) ?? 0;
  return {
    name: row.get('cn') ?? rdnValue(row.dn),
    kind: 'pso' as const,
    dn: row.dn,
    isDefault: false,
    precedence: Number(parseInteger('msDS-PasswordSettingsPrecedence', required(row, 'msDS-PasswordSettingsPrecedence'))),
    appliesTo: appliesTo.slice(0, 500),
    appliesToCount: appliesTo.length,
    minLength: parseCount('msDS-MinimumPasswordLength', required(row, 'msDS-MinimumPasswordLength')),
    historyLength: parseCount('msDS-PasswordHistoryLength', required(row, 'msDS-PasswordHistoryLength')),
    maxAgeDays: intervalDays('msDS-MaximumPasswordAge', required(row, 'msDS-MaximumPasswordAge')),
    minAgeDays: intervalOrZero('msDS-MinimumPasswordAge'),
    lockoutThreshold: parseCount('msDS-LockoutThreshold', required(row, 'msDS-LockoutThreshold')),
    lockoutDurationMinutes: intervalMinutes('msDS-LockoutDuration', required(row, 'msDS-LockoutDuration')),
    lockoutWindowMinutes: intervalMinutes('msDS-LockoutObservationWindow', required(row, 'msDS-LockoutObservationWindow')),
    complexity: parseBoolean('msDS-PasswordComplexityEnabled', required(row, 'msDS-PasswordComplexityEnabled')),
    qualityCheck: null,
    reversibleEncryption: parseBoolean('msDS-PasswordReversibleEncryptionEnabled', required(row, 'msDS-PasswordReversibleEncryptionEnabled')),
    attributes: {
      precedence: 'msDS-PasswordSettingsPrecedence', appliesTo: 'msDS-PSOAppliesTo', minLength: 'msDS-MinimumPasswordLength',
      historyLength: 'msDS-PasswordHistoryLength', maxAgeDays: 'msDS-MaximumPasswordAge', minAgeDays: 'msDS-MinimumPasswordAge',
      lockoutThreshold: 'msDS-LockoutThreshold', lockoutDurationMinutes: 'msDS-LockoutDuration', lockoutWindowMinutes: 'msDS-LockoutObservationWindow',
      complexity: 'msDS-PasswordComplexityEnabled', reversibleEncryption: 'msDS-PasswordReversibleEncryptionEnabled',
    },
  };
}

/**
 * The default domain policy and every PSO the account may read. PSOs are readable only
 * with extra rights: a container that cannot be read makes fineGrainedReadable false.
 */
export async function adPasswordPolicies(ctx: DirectoryContext, head: Row) {
  const container = `CN=Password Settings Container,CN=System,${ctx.namingContext}`;
  const policies: PasswordPolicyValue[] = [domainPolicy(ctx, head)];
  let fineGrainedReadable = true;
  if ((await ctx.reader.one(container, ['cn'])) === null) fineGrainedReadable = false;
  else {
    const rows = await ctx.reader.all(container, { filter: '(objectClass=msDS-PasswordSettings)', attributes: PSO_ATTRIBUTES, scope: 'one' });
    const psos = rows.map(psoPolicy).sort((a, b) => (a.precedence ?? 0) - (b.precedence ?? 0) || a.name.localeCompare(b.name));
    policies.push(...psos);
  }
  if (policies.length > 200) throw new FactError(`fler än 200 lösenordspolicyer (more than 200 policies)`);
  return { policies, fineGrainedReadable };
}
