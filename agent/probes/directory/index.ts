import type { Fact, Target } from '../../../report/schema.js';
import type { Probe, ProbeContext } from '../probe.js';
import { connect, ConnectionError, readBindPassword, urlHost, type DirectoryConnection } from './connection.js';
import { describeLdapError } from './errors.js';
import type { DirectoryContext } from './context.js';
import type { Register } from '../../register/schema.js';
import type { DirectoryEntry, DirectoryOptions } from './options.js';
import { DirectoryReader, type Row } from './search.js';

/** Every fact the probe reports, so that a directory it cannot reach still names what is unknown. */
export const DIRECTORY_FACT_NAMES = ['domain', 'passwordPolicies', 'accounts', 'privilegedAccounts', 'krbtgt', 'computers', 'groups', 'groupMembers', 'enabledAccounts', 'ppolicy'] as const;

const AD_CAPABILITY = '1.2.840.113556.1.4.800';

function targetId(entry: DirectoryEntry, namingContext: string | undefined): string {
  return (entry.id ?? namingContext?.toLowerCase() ?? entry.base?.toLowerCase() ?? entry.url).slice(0, 256);
}

function failedTarget(entry: DirectoryEntry, reason: string, now: Date, namingContext?: string): Target {
  const at = now.toISOString();
  const source = `LDAP ${entry.url}`;
  return {
    kind: 'directory',
    id: targetId(entry, namingContext),
    name: urlHost(entry.url).slice(0, 256) || entry.url,
    facts: DIRECTORY_FACT_NAMES.map((name): Fact => ({ name, status: 'error', source, collectedAt: at, reason: reason.slice(0, 4000) })),
  };
}

function chooseNamingContext(entry: DirectoryEntry, rootDse: Row): string | undefined {
  if (entry.base) return entry.base;
  const preferred = rootDse.get('defaultNamingContext');
  if (preferred) return preferred;
  return rootDse.all('namingContexts').find((nc) => !/^cn=(config|monitor|subschema)$/i.test(nc));
}

async function auditDirectory(entry: DirectoryEntry, ctx: ProbeContext): Promise<Target> {
  const now = ctx.now();
  let connection: DirectoryConnection | undefined;
  try {
    const password = await readBindPassword(entry, ctx.readFile);
    connection = await connect(entry, password);
    const reader = new DirectoryReader(connection.client, { pageSize: entry.pageSize, maxEntries: entry.maxEntries, timeLimitSeconds: entry.timeoutSeconds });
    const rootDse = await reader.one('', ['defaultNamingContext', 'namingContexts', 'schemaNamingContext', 'supportedCapabilities', 'vendorName', 'vendorVersion', 'dnsHostName']);
    if (!rootDse) throw new ConnectionError('servern gav ingen rootDSE (no rootDSE)');
    const namingContext = chooseNamingContext(entry, rootDse);
    if (!namingContext) throw new ConnectionError('servern anger ingen namngivningskontext; ange base (no naming context; set base)');
    const kind = entry.kind !== 'auto' ? entry.kind : rootDse.all('supportedCapabilities').includes(AD_CAPABILITY) ? 'ad' : 'openldap';
    const context: DirectoryContext = { entry, reader, rootDse, namingContext, bind: connection.bind, now, server: entry.url.replace(/\/$/, '') };
    const facts = kind === 'ad' ? await (await import('./ad.js')).collectAd(context) : await (await import('./openldap.js')).collectOpenLdap(context);
    const domain = facts.find((f) => f.name === 'domain');
    const dnsName = domain?.status === 'ok' ? (domain.value as { dnsName: string | null }).dnsName : null;
    return { kind: 'directory', id: targetId(entry, namingContext), name: (dnsName ?? connection.host).slice(0, 256), facts };
  } catch (error) {
    const reason = error instanceof ConnectionError ? error.message : describeLdapError(error);
    ctx.logger.warn({ url: entry.url }, `katalogen kunde inte granskas (directory audit failed): ${reason}`);
    return failedTarget(entry, reason, now);
  } finally {
    await connection?.close();
  }
}

/**
 * Adds the register's groups to the configured ones: every system's user groups (by system
 * id) and the MFA groups, so that coverage can be counted in people. A register that cannot
 * be read leaves the configured groups; the web probe reports the register's problem.
 */
async function withRegisterGroups(entry: DirectoryEntry, ctx: ProbeContext): Promise<DirectoryEntry> {
  if (!entry.register) return entry;
  let register: Register;
  try {
    register = (await (await import('../../register/load.js')).loadRegister(entry.register)).register;
  } catch (error) {
    ctx.logger.warn({ register: entry.register }, `systemförteckningen kunde inte läsas (register unreadable): ${(error as Error).message}`);
    return entry;
  }
  const listOf = (v: string | string[] | undefined) => (v === undefined ? [] : typeof v === 'string' ? [v] : v);
  const systems: Record<string, string | string[]> = { ...entry.groups.systems };
  for (const system of register.systems) if (system.userGroups?.length) systems[system.id] = system.userGroups;
  const mfa = [...new Set([...listOf(entry.groups.mfa), ...(register.mfaGroups ?? [])])];
  return { ...entry, groups: { ...entry.groups, systems, ...(mfa.length > 0 ? { mfa } : {}) } };
}

/** The directory probe: one target per configured directory (AD domain or OpenLDAP server). */
export function createDirectoryProbe(options: DirectoryOptions | undefined): Probe {
  return {
    name: 'directory',
    async collect(ctx) {
      const targets: Target[] = [];
      for (const entry of options ?? []) targets.push(await auditDirectory(await withRegisterGroups(entry, ctx), ctx));
      return targets;
    },
  };
}
