import { describe, expect, it } from 'vitest';
import { firewallValue, parseFirewallProfiles, parseNetshAllProfiles } from '../../../../../agent/probes/host/windows/firewall.js';
import { expectValidFact, fixture } from './fixtures.js';

describe('parseFirewallProfiles', () => {
  it('reads the three profiles of a Windows Server 2022 ActiveStore (real, numeric enums)', () => {
    const profiles = parseFirewallProfiles(fixture('firewall/get-netfirewallprofile-ws2022-activestore.json'));
    expect(profiles).toEqual([
      { name: 'Domain', enabled: true, defaultInboundAction: 'Block' },
      { name: 'Private', enabled: true, defaultInboundAction: 'Block' },
      { name: 'Public', enabled: true, defaultInboundAction: 'Block' },
    ]);
    const value = firewallValue(profiles);
    expect(value.backends).toEqual([{ name: 'windows', active: true, ruleCount: null, inputPolicy: 'drop' }]);
    expectValidFact('firewall', value);
  });

  it('reads string enums and counts a NotConfigured state as not enabled', () => {
    // Inline input in the shape of `Select Name,Enabled,DefaultInboundAction | ConvertTo-Json -EnumsAsStrings`.
    const profiles = parseFirewallProfiles(
      '[{"Name":"Domain","Enabled":"True","DefaultInboundAction":"Block"},' +
        '{"Name":"Private","Enabled":"NotConfigured","DefaultInboundAction":"NotConfigured"},' +
        '{"Name":"Public","Enabled":false,"DefaultInboundAction":2}]',
    );
    expect(profiles).toEqual([
      { name: 'Domain', enabled: true, defaultInboundAction: 'Block' },
      { name: 'Private', enabled: false, defaultInboundAction: 'NotConfigured' },
      { name: 'Public', enabled: false, defaultInboundAction: 'Allow' },
    ]);
    const value = firewallValue(profiles);
    expect(value.backends[0]).toMatchObject({ active: false, inputPolicy: 'accept' });
    expectValidFact('firewall', value);
  });

  it('rejects an empty result and unknown Enabled values', () => {
    expect(() => parseFirewallProfiles('')).toThrow(/no profiles/);
    expect(() => parseFirewallProfiles('{"Name":"Domain","Enabled":"maybe"}')).toThrow(/Enabled/);
  });
});

describe('parseNetshAllProfiles', () => {
  it('reads the Domain block of netsh advfirewall output (real, show currentprofile)', () => {
    const profiles = parseNetshAllProfiles(fixture('firewall/netsh-advfirewall-show-currentprofile.txt'));
    expect(profiles).toEqual([{ name: 'Domain', enabled: true, defaultInboundAction: 'Block' }]);
  });

  it('reads several blocks, CRLF line ends and an OFF state', () => {
    // Inline input: the real block above repeated for three profiles, one switched off.
    const block = (name: string, state: string, policy: string) =>
      `${name} Profile Settings:\r\n${'-'.repeat(70)}\r\nState                                 ${state}\r\nFirewall Policy                       ${policy}\r\n\r\n`;
    const profiles = parseNetshAllProfiles(
      block('Domain', 'ON', 'BlockInbound,AllowOutbound') + block('Private', 'ON', 'BlockInboundAlways,AllowOutbound') + block('Public', 'OFF', 'AllowInbound,AllowOutbound') + 'Ok.\r\n',
    );
    expect(profiles).toEqual([
      { name: 'Domain', enabled: true, defaultInboundAction: 'Block' },
      { name: 'Private', enabled: true, defaultInboundAction: 'Block' },
      { name: 'Public', enabled: false, defaultInboundAction: 'Allow' },
    ]);
  });

  it('refuses output it cannot read (another language) instead of reporting no profiles', () => {
    expect(() => parseNetshAllProfiles('Domänenprofil-Einstellungen:\nStatus   EIN\n')).toThrow(/non-English/);
  });
});
