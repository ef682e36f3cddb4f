import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createAgentConfigSchema } from '../../../../agent/config/schema.js';
import { parseSnmpTarget } from '../../../../cli/commands/scan-adhoc/network.js';
import { networkAdhoc } from '../../../../cli/commands/scan-adhoc/network.js';

function exampleSection(name: string): string[] {
  const lines = readFileSync(join(import.meta.dirname, '../../../../config/agent.example.yaml'), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.startsWith(`  # ${name}:`));
  expect(start).toBeGreaterThan(0);
  const block: string[] = [];
  for (const line of lines.slice(start)) {
    if (!line.startsWith('  #')) break;
    block.push(line.replace(/^  # ?/, '  '));
  }
  return block;
}

describe('network and reach probe settings', () => {
  it('the commented examples in config/agent.example.yaml are valid', () => {
    const doc = parse(`collector:\n  url: https://basvakt.kommun.se\nprobes:\n${exampleSection('network').join('\n')}\n${exampleSection('reach').join('\n')}\n`);
    const config = createAgentConfigSchema('/etc/basvakt').parse(doc);
    expect(config.probes.network?.options?.switches).toHaveLength(2);
    expect(config.probes.network?.options?.switches[0]).toMatchObject({ version: '3', v3: { authFile: '/etc/basvakt/snmp-auth' } });
    expect(config.probes.reach?.options).toMatchObject({ zone: 'PED', ratePerSecond: 50 });
  });

  it('are not prefaulted: without a section, no network or reach probe runs', () => {
    const config = createAgentConfigSchema('/etc/basvakt').parse({ collector: { url: 'https://basvakt.kommun.se' } });
    expect(config.probes.network).toBeUndefined();
    expect(config.probes.reach).toBeUndefined();
  });

  it('refuses a v2c switch without a community file and secrets in the options', () => {
    const schema = createAgentConfigSchema('/etc/basvakt');
    expect(schema.safeParse({ collector: { url: 'https://x.se' }, probes: { network: { options: { switches: [{ host: 'sw1', version: '2c' }] } } } }).success).toBe(false);
    expect(schema.safeParse({ collector: { url: 'https://x.se' }, probes: { network: { options: { switches: [{ host: 'sw1', version: '2c', community: 'public' }] } } } }).success).toBe(false);
  });
});

describe('basvakt scan --snmp flags', () => {
  it('parses HOST[:PORT]', () => {
    expect(parseSnmpTarget('10.1.99.2', 'sv')).toEqual({ host: '10.1.99.2', port: 161 });
    expect(parseSnmpTarget('sw1:16161', 'sv')).toEqual({ host: 'sw1', port: 16161 });
    expect(parseSnmpTarget('[2001:db8::1]:1161', 'sv')).toEqual({ host: '2001:db8::1', port: 1161 });
    expect(() => parseSnmpTarget('sw1:99999', 'en')).toThrow(/HOST:PORT/);
  });

  it('builds v2c or v3 options with file paths only', async () => {
    expect(await networkAdhoc.fromFlags({}, 'sv')).toBeUndefined();
    expect(await networkAdhoc.fromFlags({ snmp: 'sw1', 'community-file': '/etc/c' }, 'sv')).toEqual({ switches: [{ host: 'sw1', port: 161, version: '2c', communityFile: '/etc/c' }] });
    expect(await networkAdhoc.fromFlags({ snmp: 'sw1', 'v3-user': 'u', 'auth-file': '/a', 'priv-file': '/p' }, 'sv')).toMatchObject({ switches: [{ version: '3', v3: { user: 'u', authFile: '/a', privFile: '/p' } }] });
    await expect(networkAdhoc.fromFlags({ snmp: 'sw1' }, 'sv')).rejects.toThrow(/--community-file/);
    await expect(networkAdhoc.fromFlags({ snmp: 'sw1', 'v3-user': 'u', 'auth-file': '/a' }, 'en')).rejects.toThrow(/--priv-file/);
  });
});
