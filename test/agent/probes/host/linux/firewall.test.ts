import { describe, expect, it } from 'vitest';
import { parseFirewalldState, parseIptablesRules, parseNftRuleset, parseUfwStatus } from '../../../../../agent/probes/host/linux/firewall-parsers.js';
import { collectFirewall } from '../../../../../agent/probes/host/linux/firewall.js';
import { failed, fixture, linuxContext, ok, PS, psWith, validValue } from './support.js';

describe('nftables (nft -j list ruleset, captured in network namespaces)', () => {
  it('an empty ruleset filters nothing', () => {
    expect(parseNftRuleset(fixture('firewall/nft-j-empty.json'))).toEqual({ active: false, ruleCount: 0, inputPolicy: null });
  });

  it('inet filter input with policy drop', () => {
    expect(parseNftRuleset(fixture('firewall/nft-j-inet-filter-drop.json'))).toEqual({ active: true, ruleCount: 8, inputPolicy: 'drop' });
  });

  it('iptables-nft rules show up as an ip filter INPUT chain', () => {
    expect(parseNftRuleset(fixture('firewall/nft-j-iptables-nft.json'))).toEqual({ active: true, ruleCount: 4, inputPolicy: 'drop' });
  });

  it('firewalld: accept policy on the hook, but rejects reached through jumps', () => {
    const state = parseNftRuleset(fixture('firewall/nft-j-firewalld.json'));
    expect(state.active).toBe(true);
    expect(state.inputPolicy).toBe('accept');
    expect(state.ruleCount).toBeGreaterThan(5);
  });

  it('garbage is an error', () => {
    expect(() => parseNftRuleset('{"x":1}')).toThrow(/nftables/);
  });
});

describe('iptables', () => {
  it('iptables-save with INPUT DROP', () => {
    expect(parseIptablesRules(fixture('firewall/iptables-save-input-drop.txt'))).toEqual({ active: true, ruleCount: 4, inputPolicy: 'drop' });
  });

  it('iptables -S prints the same rules', () => {
    expect(parseIptablesRules(fixture('firewall/iptables-S-input-drop.txt'))).toEqual({ active: true, ruleCount: 4, inputPolicy: 'drop' });
    expect(parseIptablesRules(fixture('firewall/iptables-S-empty.txt'))).toEqual({ active: false, ruleCount: 0, inputPolicy: 'accept' });
  });

  it('ufw chains: follows jumps from INPUT into ufw-*-input', () => {
    const state = parseIptablesRules(fixture('firewall/iptables-save-ufw.txt'));
    expect(state).toMatchObject({ active: true, inputPolicy: 'drop' });
    expect(state.ruleCount).toBeGreaterThan(10);
  });

  it('empty output and an empty filter table filter nothing', () => {
    expect(parseIptablesRules(fixture('firewall/iptables-save-empty.txt'))).toEqual({ active: false, ruleCount: 0, inputPolicy: null });
    expect(parseIptablesRules(fixture('firewall/iptables-save-t-filter-empty.txt'))).toEqual({ active: false, ruleCount: 0, inputPolicy: 'accept' });
  });
});

describe('ufw and firewalld', () => {
  it('ufw status verbose, active and inactive', () => {
    expect(parseUfwStatus(fixture('firewall/ufw-status-verbose-active.txt'))).toEqual({ active: true, ruleCount: 3, inputPolicy: 'drop' });
    expect(parseUfwStatus(fixture('firewall/ufw-status-verbose-inactive.txt'))).toEqual({ active: false, ruleCount: 0, inputPolicy: null });
    expect(() => parseUfwStatus(fixture('firewall/ufw-status-not-root.txt'))).toThrow(/Status/);
  });

  it('firewall-cmd --state', () => {
    expect(parseFirewalldState(fixture('firewall/firewall-cmd-state-running.stdout'))).toBe(true);
    expect(parseFirewalldState(fixture('firewall/firewall-cmd-state-not-running.stdout'))).toBe(false);
  });
});

describe('collectFirewall', () => {
  it('reports each installed backend and omits the missing ones', async () => {
    const c = linuxContext({
      [PS]: psWith('firewalld'),
      'nft -j list ruleset': ok(fixture('firewall/nft-j-inet-filter-drop.json')),
      'iptables-save -t filter': ok(fixture('firewall/iptables-save-t-filter-empty.txt')),
      stat: ok('1700000000 /usr/bin/firewall-cmd\n'),
      'firewall-cmd --state': ok(fixture('firewall/firewall-cmd-state-running.stdout')),
    });
    const value = validValue('firewall', await collectFirewall(c));
    expect(value.backends.map((b) => `${b.name}:${b.active}`)).toEqual(['nftables:true', 'iptables:false', 'firewalld:true']);
    expect(value.profiles).toEqual([]);
  });

  it('nothing installed: no backends', async () => {
    const c = linuxContext({ [PS]: psWith(), stat: failed(1, '') });
    expect(validValue('firewall', await collectFirewall(c)).backends).toEqual([]);
  });

  it('an installed backend that cannot be read makes the fact an error (not root)', async () => {
    const c = linuxContext({ [PS]: psWith(), stat: failed(1, ''), 'nft -j list ruleset': failed(1, fixture('firewall/nft-j-not-root.txt')) });
    await expect(collectFirewall(c)).rejects.toThrow(/nft -j list ruleset exited with code 1: Operation not permitted/);
  });

  it('garbage from nft is an error, not an empty firewall', async () => {
    const c = linuxContext({ [PS]: psWith(), stat: failed(1, ''), 'nft -j list ruleset': ok('<html>') });
    await expect(collectFirewall(c)).rejects.toThrow(/unreadable output/);
  });
});
