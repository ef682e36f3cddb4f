import { switchFacts } from '../../../report/facts/switch.js';
import type { Fact, Target } from '../../../report/schema.js';
import { FactError, observe } from '../fact.js';
import type { Probe, ProbeContext } from '../probe.js';
import { switchFactsFrom } from './facts.js';
import { OID } from './oids.js';
import { NETWORK_DEFAULTS, type NetworkProbeOptions, type SwitchOptions } from './options.js';
import { mapBounded } from './pool.js';
import { openSnmp, type SessionLimits, type SnmpClient, type SnmpCredentials } from './session.js';
import { displayText } from './tables.js';
import { walkTables } from './walked.js';

export type { NetworkProbeOptions, SwitchOptions } from './options.js';

async function secret(ctx: ProbeContext, path: string, what: string): Promise<string> {
  let text: string;
  try {
    text = await ctx.readFile(path);
  } catch (error) {
    throw new FactError(`kunde inte läsa ${what} från ${path} (could not read the ${what}): ${(error as Error).message}`);
  }
  const value = text.split('\n')[0]!.trim();
  if (!value) throw new FactError(`${path} är tom (the ${what} file is empty)`);
  return value;
}

async function credentials(ctx: ProbeContext, sw: SwitchOptions): Promise<SnmpCredentials> {
  if (sw.version === '3') {
    if (!sw.v3) throw new FactError('SNMPv3 kräver v3.user, v3.authFile och v3.privFile (v3 settings missing)');
    return {
      version: '3',
      user: sw.v3.user,
      authKey: await secret(ctx, sw.v3.authFile, 'auth-lösenordet'),
      privKey: await secret(ctx, sw.v3.privFile, 'priv-lösenordet'),
      authProtocol: sw.v3.authProtocol ?? 'sha',
      privProtocol: sw.v3.privProtocol ?? 'aes',
    };
  }
  if (!sw.communityFile) throw new FactError('SNMP v2c kräver communityFile (community file missing)');
  return { version: '2c', community: await secret(ctx, sw.communityFile, 'communityn') };
}

function scalar(value: unknown): string | null {
  if (Buffer.isBuffer(value)) return displayText(value) || null;
  if (typeof value === 'string') return value || null;
  return null;
}

/** Which default communities answer v1/v2c GET sysDescr; only ever against the declared switch. */
async function defaultCommunityAnswers(sw: SwitchOptions, limits: SessionLimits) {
  const probes = (['public', 'private'] as const).flatMap((community) => (['1', '2c'] as const).map((version) => ({ community, version })));
  const quick = { ...limits, timeoutMs: Math.min(limits.timeoutMs, 1000), retries: 0 };
  const answers = await Promise.all(
    probes.map(async (p) => {
      const client = openSnmp(sw.host, sw.port ?? 161, { version: p.version, community: p.community }, quick);
      try {
        const [vb] = await client.get([OID.sysDescr]);
        return vb && vb.type !== 128 && vb.type !== 129 ? p : undefined;
      } catch {
        return undefined;
      } finally {
        client.close();
      }
    }),
  );
  return answers.filter((a) => a !== undefined);
}

async function pollSwitch(ctx: ProbeContext, sw: SwitchOptions, options: NetworkProbeOptions, id: string): Promise<Target> {
  const port = sw.port ?? 161;
  const source = `SNMP ${sw.version === '3' ? 'v3' : 'v2c'} ${sw.host}:${port}`;
  const now = () => ctx.now();
  const limits: SessionLimits = {
    timeoutMs: (options.timeoutSeconds ?? NETWORK_DEFAULTS.timeoutSeconds) * 1000,
    retries: options.retries ?? NETWORK_DEFAULTS.retries,
    maxRows: options.maxRows ?? NETWORK_DEFAULTS.maxRows,
    maxRepetitions: NETWORK_DEFAULTS.maxRepetitions,
    deadline: Date.now() + (options.switchTimeoutSeconds ?? NETWORK_DEFAULTS.switchTimeoutSeconds) * 1000,
  };
  const failAll = async (reason: string): Promise<Fact[]> =>
    Promise.all(['system', 'vlans', 'ports', 'l3Interfaces'].map((name) => observe(name, source, () => Promise.reject(new FactError(reason)), now)));

  let client: SnmpClient | undefined;
  let facts: Fact[];
  let sysName: string | null = null;
  // Set when the switch did not answer, or stopped answering: silence to public/private then proves nothing.
  let unresponsive: string | undefined;
  try {
    client = openSnmp(sw.host, port, await credentials(ctx, sw), limits);
    const c = client;
    const system = await observe('system', source, async () => {
      const [descr, objectId, name] = await c.get([OID.sysDescr, OID.sysObjectID, OID.sysName]);
      sysName = scalar(name?.value);
      return { value: { sysName, sysDescr: scalar(descr?.value)?.slice(0, 1024) ?? null, sysObjectID: scalar(objectId?.value) }, source };
    }, now);
    // A switch that does not answer a GET is not walked: every fact says why.
    if (system.status === 'ok') {
      const tables = await walkTables(c);
      unresponsive = tables.stopped?.message;
      facts = [system, ...(await switchFactsFrom(tables, source, now))];
    } else {
      unresponsive = system.reason;
      facts = await failAll(system.reason);
    }
  } catch (error) {
    unresponsive = (error as Error).message;
    facts = await failAll(unresponsive);
  } finally {
    client?.close();
  }
  const test = options.testDefaultCommunities ?? true;
  const access = await observe(
    'snmpAccess',
    source,
    async () => {
      if (unresponsive) throw new FactError(`switchen svarade inte, så standardcommunities kunde inte provas (the switch did not answer): ${unresponsive}`);
      const answers = test ? await defaultCommunityAnswers(sw, limits) : [];
      return {
        value: { version: sw.version, defaultCommunitiesTested: test, defaultCommunityAnswers: answers },
        source: `${source}; GET sysDescr med public/private över v1 och v2c`,
      };
    },
    now,
  );
  facts.push(access);
  return { kind: 'switch', id, name: sysName ?? id, facts: facts.map((f) => checked(f, now)) };
}

/** A value that does not fit the fact catalogue (a hostile or broken agent) becomes an error fact, not a rejected report. */
function checked(fact: Fact, now: () => Date): Fact {
  if (fact.status !== 'ok') return fact;
  const spec = switchFacts[fact.name as keyof typeof switchFacts];
  const result = spec?.value.safeParse(fact.value);
  if (!result || result.success) return fact;
  const issue = result.error.issues[0]!;
  const reason = `switchen gav ett värde som inte går att tolka (the switch returned an invalid value): ${issue.path.join('.')}: ${issue.message}`;
  return { name: fact.name, status: 'error', source: fact.source, collectedAt: now().toISOString(), reason };
}

/** host:port, with #2, #3 … for a host:port listed again (one agent, several communities or contexts). */
function targetIds(switches: readonly SwitchOptions[]): string[] {
  const seen = new Map<string, number>();
  return switches.map((sw) => {
    const base = `${sw.host}:${sw.port ?? 161}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  });
}

/** The network probe: SNMP inventory of the declared switches, a bounded number at a time. */
export function createNetworkProbe(options: NetworkProbeOptions | undefined): Probe {
  return {
    name: 'network',
    async collect(ctx) {
      const switches = options?.switches ?? [];
      if (switches.length === 0) {
        ctx.logger.warn('network: inga switchar angivna (no switches configured)');
        return [];
      }
      const ids = targetIds(switches);
      return mapBounded(switches, options?.concurrency ?? NETWORK_DEFAULTS.concurrency, (sw, i) => pollSwitch(ctx, sw, options!, ids[i]!));
    },
  };
}
