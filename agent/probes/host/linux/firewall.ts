import type { Observation } from '../../fact.js';
import { FactError } from '../../fact.js';
import type { LinuxContext } from './context.js';
import { parseFirewalldState, parseIptablesRules, parseNftRuleset, parseUfwStatus, type BackendState } from './firewall-parsers.js';
import { isRunning } from './processes.js';
import { failure, statPaths, tryRun } from './run.js';

export interface FirewallBackend extends BackendState {
  name: 'nftables' | 'iptables' | 'ufw' | 'firewalld';
}

export interface FirewallValue {
  backends: FirewallBackend[];
  profiles: never[];
}

type BackendResult = { backend: FirewallBackend; source: string } | null;

async function runBackend(
  c: LinuxContext,
  name: FirewallBackend['name'],
  program: string,
  args: string[],
  parse: (stdout: string) => BackendState,
): Promise<BackendResult> {
  const result = await tryRun(c, program, args);
  if (result === null) return null; // not installed: omitted
  const source = [program, ...args].join(' ');
  if (result.code !== 0) throw new FactError(failure(program, args, result), source);
  try {
    return { backend: { name, ...parse(result.stdout) }, source };
  } catch (error) {
    throw new FactError(`${source}: unreadable output (${(error as Error).message})`, source);
  }
}

async function firewalld(c: LinuxContext): Promise<BackendResult> {
  const installed = await statPaths(c, ['/usr/bin/firewall-cmd', '/usr/sbin/firewalld']);
  if (installed.size === 0) return null;
  // firewall-cmd is a Python program; only ask it when the daemon is there to answer.
  if (!isRunning(await c.processes(), 'firewalld')) {
    return { backend: { name: 'firewalld', active: false, ruleCount: null, inputPolicy: null }, source: 'ps (firewalld not running)' };
  }
  const args = ['--state'];
  const result = await tryRun(c, 'firewall-cmd', args);
  if (result === null) return null;
  if (result.code !== 0 && result.code !== 252) throw new FactError(failure('firewall-cmd', args, result), 'firewall-cmd --state');
  return {
    backend: { name: 'firewalld', active: parseFirewalldState(result.stdout), ruleCount: null, inputPolicy: null },
    source: 'firewall-cmd --state',
  };
}

export async function collectFirewall(c: LinuxContext): Promise<Observation<FirewallValue>> {
  const results = await Promise.all([
    runBackend(c, 'nftables', 'nft', ['-j', 'list', 'ruleset'], parseNftRuleset),
    runBackend(c, 'iptables', 'iptables-save', ['-t', 'filter'], parseIptablesRules),
    runBackend(c, 'ufw', 'ufw', ['status', 'verbose'], parseUfwStatus),
    firewalld(c),
  ]);
  const found = results.filter((r): r is NonNullable<BackendResult> => r !== null);
  return {
    value: { backends: found.map((r) => r.backend), profiles: [] },
    source: found.length > 0 ? found.map((r) => r.source).join(', ') : 'nft, iptables-save, ufw, firewall-cmd: none installed',
  };
}
