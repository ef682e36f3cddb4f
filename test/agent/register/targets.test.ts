import { describe, expect, it } from 'vitest';
import { loadRegister, parseRegisterYaml, registerTargets } from '../../../agent/register/index.js';
import { registerFacts } from '../../../report/facts/register.js';
import { targetSchema } from '../../../report/schema.js';
import { EXAMPLE_YAML, TODAY } from './support.js';

describe('register entries as system targets', () => {
  it('gives one system target per entry, its register fact valid against the fact catalogue spec', async () => {
    const loaded = await loadRegister(EXAMPLE_YAML);
    const collectedAt = new Date('2026-11-23T05:00:00Z');
    const targets = registerTargets(loaded.register, loaded.file, { lines: loaded.lines, collectedAt });
    expect(targets.map((t) => [t.kind, t.id, t.name])).toEqual(loaded.register.systems.map((s) => ['system', s.id, s.name]));
    for (const target of targets) {
      expect(targetSchema.parse(target)).toEqual(target);
      const [fact] = target.facts;
      expect(fact).toMatchObject({ name: 'register', status: 'ok', collectedAt: '2026-11-23T05:00:00.000Z' });
      expect(registerFacts.register.value.parse((fact as { value: unknown }).value)).toEqual((fact as { value: unknown }).value);
    }
    expect(targets[0]!.facts[0]!.source).toBe('system-register.example.yaml:35');
  });

  it('writes null for what the register does not say, resolves the identity provider and fills in default ports', () => {
    const { register } = parseRegisterYaml(
      [
        'identityProviders: [{ id: idp, protocol: oidc, url: "https://idp.amal.se/realms/amal" }]',
        'systems:',
        '  - id: p360',
        '    name: Public 360',
        '    category: business',
        '    authentication: { sso: oidc, identityProvider: idp }',
        '    endpoints: [{ protocol: smtps, host: mail.amal.se }, { protocol: ldap, host: dc1, port: 3389 }]',
        '  - { id: tomt, name: Tomt, category: infrastructure }',
      ].join('\n'),
      'register.yaml',
      { today: TODAY },
    );
    const [p360, empty] = registerTargets(register, '/etc/basvakt/register.yaml').map((t) => (t.facts[0] as { value: Record<string, unknown> }).value);
    expect(p360!.authentication).toEqual({ sso: 'oidc', identityProvider: { id: 'idp', protocol: 'oidc', url: 'https://idp.amal.se/realms/amal' }, mfaRequired: null });
    expect(p360!.endpoints).toEqual([
      { protocol: 'smtps', host: 'mail.amal.se', port: 465 },
      { protocol: 'ldap', host: 'dc1', port: 3389 },
    ]);
    expect(empty).toEqual({
      id: 'tomt',
      name: 'Tomt',
      category: 'infrastructure',
      purpose: null,
      owner: null,
      administrator: null,
      classification: null,
      businessCritical: null,
      personalData: null,
      sensitive: null,
      operatingAgreement: null,
      securityPlan: null,
      operatingApproval: null,
      authentication: null,
      userGroups: [],
      loginUrl: null,
      auditLogging: null,
      lastAccessReview: null,
      backup: null,
      remoteAccess: null,
      secureTransfer: null,
      hosts: [],
      endpoints: [],
    });
    // Without lines the source is the file name alone.
    expect(registerTargets(register, '/etc/basvakt/register.yaml')[0]!.facts[0]!.source).toBe('register.yaml');
  });
});
