import { describe, expect, it } from 'vitest';
import { parseAgentConfig } from '../../../../agent/config/load.js';
import { webAdhoc } from '../../../../cli/commands/scan-adhoc/web.js';
import { InputFileError } from '../../../../common/yaml.js';

/** probes.web in the agent config: valid settings, and mistakes named by line and field. */
const config = (web: string) => `collector:\n  url: https://basvakt.kommun.se\nprobes:\n  web:\n${web}`;

function problems(text: string): { path: string; line?: number; message: string }[] {
  try {
    parseAgentConfig(text, '/etc/basvakt/agent.yaml');
  } catch (error) {
    if (error instanceof InputFileError) return error.problems.map((p) => ({ path: p.path, line: p.line, message: p.message }));
    throw error;
  }
  throw new Error('expected problems');
}

describe('web probe settings', () => {
  it('a register-shaped system list parses; the CA file resolves against the config folder; not run unless configured', () => {
    const parsed = parseAgentConfig(
      config(`    options:
      caFile: kommun-ca.pem
      systems:
        - id: procapita
          name: Procapita
          loginUrl: https://procapita.kommun.se/login
          identityProvider: { id: adfs, protocol: saml, url: https://adfs.kommun.se/adfs/ls/ }
          endpoints:
            - { protocol: ldap, host: dc1.kommun.se, port: 389 }
            - { protocol: smtp, host: smtp.kommun.se, port: 25 }
`),
      '/etc/basvakt/agent.yaml',
    );
    expect(parsed.probes.web).toMatchObject({ enabled: true, schedule: '50 4 * * *', options: { caFile: '/etc/basvakt/kommun-ca.pem' } });
    expect(parsed.probes.web?.options?.systems?.[0]?.endpoints).toHaveLength(2);
    expect(parseAgentConfig(config('    enabled: false\n'), '/etc/basvakt/agent.yaml').probes.web?.options).toBeUndefined();
  });

  it('wrong URLs, protocols and ports, duplicate ids and unknown fields are refused at their lines', () => {
    const found = problems(
      config(`    options:
      systems:
        - id: a
          name: A
          loginUrl: ftp://a.kommun.se/
        - id: a
          name: B
          loginUrl: https://user:pw@b.kommun.se/
          identityProvider: { id: x, protocol: wsfed, url: https://idp/ }
          endpoints:
            - { protocol: imap, host: mail.kommun.se, port: 143 }
            - { protocol: ldap, host: 'dc1;rm', port: 70000 }
          password: hemligt
`),
    );
    const at = (path: string) => found.filter((p) => p.path === path).map((p) => [p.line, p.message]);
    expect(at('probes.web.options.systems[0].loginUrl')).toEqual([[9, expect.stringMatching(/^loginUrl: förväntade en https:\/\/- eller http:\/\/-adress, fick ftp:/)]]);
    expect(at('probes.web.options.systems[1].loginUrl')).toEqual([[12, expect.stringMatching(/inloggningsuppgifter|användarnamn eller lösenord/)]]);
    expect(at('probes.web.options.systems[1].identityProvider.protocol')).toEqual([[13, expect.stringMatching(/protocol ska vara saml eller oidc/)]]);
    expect(at('probes.web.options.systems[1].endpoints[0].protocol')).toEqual([[15, expect.stringMatching(/protocol ska vara ett av ldap, ldaps, smtp, smtps, https/)]]);
    expect(at('probes.web.options.systems[1].endpoints[1].host')).toEqual([[16, expect.stringMatching(/värdnamn eller en IP-adress/)]]);
    expect(at('probes.web.options.systems[1].endpoints[1].port').map(([line]) => line)).toEqual([16]);
    expect(at('probes.web.options.systems[1].password')).toEqual([[17, expect.stringMatching(/okänt fält/)]]);
  });

  it('a system id used twice is named at its second use', () => {
    const found = problems(config(`    options:
      systems:
        - { id: procapita, name: Procapita, loginUrl: https://a.kommun.se/ }
        - { id: procapita, name: Procapita 2, loginUrl: https://b.kommun.se/ }
`));
    expect(found).toEqual([{ path: 'probes.web.options.systems[1].id', line: 8, message: "id 'procapita' finns redan (systems.0) (duplicate system id)" }]);
  });

  it('scan flags: an https --url makes one system named after it; an ldap:// --url is left to the directory probe', async () => {
    expect(await webAdhoc.fromFlags({ url: 'https://procapita.kommun.se/login', idp: 'https://adfs.kommun.se/adfs/ls/', ca: 'ca.pem' }, 'sv')).toEqual({
      systems: [
        {
          id: 'https://procapita.kommun.se/login',
          name: 'procapita.kommun.se',
          loginUrl: 'https://procapita.kommun.se/login',
          identityProvider: { id: 'idp', protocol: 'saml', url: 'https://adfs.kommun.se/adfs/ls/' },
        },
      ],
      caFile: expect.stringMatching(/\/ca\.pem$/),
    });
    expect(await webAdhoc.fromFlags({ url: 'ldaps://dc1.kommun.se', ca: 'ca.pem' }, 'sv')).toBeUndefined();
    expect(await webAdhoc.fromFlags({}, 'sv')).toBeUndefined();
    await expect(webAdhoc.fromFlags({ url: 'https://a/', 'idp-protocol': 'cas', idp: 'https://b/' }, 'en')).rejects.toThrow('web: --idp-protocol must be saml or oidc, not "cas"');
  });
});
