import type { Observation } from '../../fact.js';
import type { ProbeContext } from '../../probe.js';
import { parseOrFail, powershellSource, runNative, runPowerShell, withFallback } from './powershell.js';
import { parsePsJson, preview, prop, psBool, psObjects, psString, short } from './psjson.js';
import type { FirewallProfile, FirewallValue } from './types.js';

/** The ActiveStore holds what is enforced: local settings merged with Group Policy. */
export const FIREWALL_SCRIPT = 'Get-NetFirewallProfile -PolicyStore ActiveStore | Select-Object Name,Enabled,DefaultInboundAction | ConvertTo-Json';
export const FIREWALL_SOURCE = powershellSource('Get-NetFirewallProfile -PolicyStore ActiveStore');
export const NETSH_ARGS = ['advfirewall', 'show', 'allprofiles'] as const;
export const NETSH_SOURCE = 'netsh advfirewall show allprofiles';

/** MSFT_NetFirewallProfile.DefaultInboundAction (Action enum): 0 NotConfigured, 2 Allow, 4 Block. */
const ACTIONS: Record<number, string> = { 0: 'NotConfigured', 2: 'Allow', 4: 'Block' };

function inboundAction(value: unknown): string | null {
  if (typeof value === 'number') return ACTIONS[value] ?? `Unknown (${value})`;
  return psString(value);
}

/**
 * MSFT_NetFirewallProfile.Enabled is a GpoBoolean: 0 False, 1 True, 2 NotConfigured. The
 * ActiveStore resolves NotConfigured; should it still appear, the profile is reported as
 * not enabled, because nothing says it is.
 */
function profileEnabled(value: unknown): boolean {
  const b = psBool(value);
  if (b !== null) return b;
  if (value === 2 || (typeof value === 'string' && value.trim().toLowerCase() === 'notconfigured')) return false;
  throw new Error(`unexpected firewall profile Enabled value ${JSON.stringify(value)}`);
}

/** Parses `Get-NetFirewallProfile | ConvertTo-Json` (selected or whole objects). */
export function parseFirewallProfiles(text: string): FirewallProfile[] {
  const profiles = psObjects(parsePsJson(text), 'Get-NetFirewallProfile');
  if (profiles.length === 0) throw new Error('Get-NetFirewallProfile returned no profiles');
  return profiles.map((p) => {
    const name = psString(prop(p, 'Name')) ?? psString(prop(p, 'Profile'));
    if (name === null) throw new Error('firewall profile without a Name');
    const action = inboundAction(prop(p, 'DefaultInboundAction'));
    return { name: short(name), enabled: profileEnabled(prop(p, 'Enabled')), defaultInboundAction: action === null ? null : short(action) };
  });
}

const NETSH_INBOUND: Record<string, string> = {
  blockinbound: 'Block',
  blockinboundalways: 'Block',
  allowinbound: 'Allow',
  notconfigured: 'NotConfigured',
};

/** Parses `netsh advfirewall show allprofiles` (English output only). */
export function parseNetshAllProfiles(text: string): FirewallProfile[] {
  const profiles: FirewallProfile[] = [];
  let current: { name: string; state: string | null; policy: string | null } | null = null;
  const flush = () => {
    if (current === null) return;
    if (current.state === null) throw new Error(`no State line for the ${current.name} profile`);
    const inbound = current.policy === null ? null : (NETSH_INBOUND[current.policy.split(',')[0]!.trim().toLowerCase()] ?? current.policy);
    profiles.push({ name: current.name, enabled: current.state === 'ON', defaultInboundAction: inbound === null ? null : short(inbound) });
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const heading = /^(\w+) Profile Settings:$/.exec(line);
    if (heading) {
      flush();
      current = { name: heading[1]!, state: null, policy: null };
      continue;
    }
    if (current === null) continue;
    const state = /^State\s+(\S+)$/.exec(line);
    if (state) current.state = state[1]!.toUpperCase();
    const policy = /^Firewall Policy\s+(\S+)$/.exec(line);
    if (policy) current.policy = policy[1]!;
  }
  flush();
  if (profiles.length === 0) throw new Error(`no "<name> Profile Settings:" section (non-English output?): ${preview(text)}`);
  return profiles;
}

/** The fact value; the firewall counts as active only when every profile is enabled. */
export function firewallValue(profiles: FirewallProfile[]): FirewallValue {
  const actions = profiles.map((p) => p.defaultInboundAction);
  let inputPolicy: FirewallValue['backends'][number]['inputPolicy'] = null;
  if (actions.some((a) => a === 'Allow')) inputPolicy = 'accept';
  else if (actions.length > 0 && actions.every((a) => a === 'Block')) inputPolicy = 'drop';
  return {
    backends: [{ name: 'windows', active: profiles.length > 0 && profiles.every((p) => p.enabled), ruleCount: null, inputPolicy }],
    profiles: profiles.slice(0, 8),
  };
}

export async function collectFirewall(ctx: ProbeContext): Promise<Observation<FirewallValue>> {
  return withFallback(
    FIREWALL_SOURCE,
    async () => {
      const out = await runPowerShell(ctx, FIREWALL_SCRIPT, FIREWALL_SOURCE);
      return { value: firewallValue(parseOrFail(FIREWALL_SOURCE, () => parseFirewallProfiles(out))), source: FIREWALL_SOURCE };
    },
    async () => {
      const { stdout } = await runNative(ctx, 'netsh.exe', NETSH_ARGS, NETSH_SOURCE);
      return { value: firewallValue(parseOrFail(NETSH_SOURCE, () => parseNetshAllProfiles(stdout))), source: NETSH_SOURCE };
    },
  );
}
