import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePrograms } from '../../../support/require.js';
import { SSP_WWW, startSamlIdp, type SamlIdp } from '../../../support/servers/saml-idp.js';
import { evaluateTarget } from '../../../support/directory.js';
import { login, probe } from './support.js';

const ssoResult = async (target: Parameters<typeof evaluateTarget>[0]) => (await evaluateTarget(target)).results.find((r) => r.ruleId === 'BV-SSO-010');

/**
 * The login page of a system that uses a real SAML identity provider: SimpleSAMLphp 1.19
 * under php -S, whose own service providers play the business systems. The probe must read
 * the AuthnRequest the IdP will receive, in both bindings, and compare it with the register.
 */
const available = requirePrograms('web probe against SimpleSAMLphp', ['php', 'openssl', `${SSP_WWW}/module.php`]);

describe.runIf(available)('web probe: SAML login against SimpleSAMLphp', () => {
  let idp: SamlIdp;
  beforeAll(async () => {
    idp = await startSamlIdp();
  });
  afterAll(async () => {
    await idp?.stop();
  });

  it('HTTP-Redirect binding: reads Issuer and Destination, follows to the IdP login form, matches the declared IdP', async () => {
    const [target] = await probe([
      { id: 'procapita', name: 'Procapita', loginUrl: idp.redirectLoginUrl, identityProvider: { id: 'ssp', protocol: 'saml', url: idp.ssoUrl } },
    ]);
    expect(target).toMatchObject({ kind: 'system', id: 'procapita', name: 'Procapita' });
    const value = login(target!);
    expect(value).toMatchObject({
      url: idp.redirectLoginUrl,
      declared: { protocol: 'saml', identityProviderUrl: idp.ssoUrl },
      protocol: 'saml',
      binding: 'HTTP-Redirect',
      identityProviderUrl: idp.ssoUrl,
      identityProviderHost: new URL(idp.base).host,
      matchesDeclared: true,
      saml: { issuer: idp.redirectSpEntityId, destination: idp.ssoUrl, error: null },
      oidc: null,
      authenticate: [],
      stopped: null,
    });
    expect(value.saml!.assertionConsumerServiceUrl).toBe(`${idp.base}/module.php/saml/sp/saml2-acs.php/default-sp`);
    // authenticate.php → 302 SSOService.php?SAMLRequest=… → 302 loginuserpass.php?AuthState=… → 200 login form.
    expect(value.hops.map((h) => [h.status, h.url.split('?')[0]])).toEqual([
      [302, `${idp.base}/module.php/core/authenticate.php`],
      [302, idp.ssoUrl],
      [200, `${idp.base}/module.php/core/loginuserpass.php`],
    ]);
    // Long query values are shortened in the report: the SAMLRequest is not carried whole.
    expect(value.hops[0]!.location).toMatch(new RegExp(`^${idp.ssoUrl.replace(/[.?]/g, '\\$&')}\\?SAMLRequest=[^&]{1,60}…&RelayState=`));
    expect(value.hops[1]!.url.length).toBeLessThan(400);
    expect(value.finalStatus).toBe(200);
    expect(await ssoResult(target!)).toMatchObject({ status: 'pass' });
  });

  it('HTTP-POST binding: the auto-post form is recognised and never submitted', async () => {
    const [target] = await probe([
      { id: 'lifecare', name: 'Lifecare', loginUrl: idp.postLoginUrl, identityProvider: { id: 'ssp', protocol: 'saml', url: `${idp.base}/saml2/` } },
    ]);
    const value = login(target!);
    expect(value).toMatchObject({
      protocol: 'saml',
      binding: 'HTTP-POST',
      identityProviderUrl: idp.ssoUrl,
      matchesDeclared: true,
      saml: { issuer: idp.postSpEntityId, destination: idp.ssoUrl, error: null },
      finalStatus: 200,
    });
    // The last page is SimpleSAMLphp's post form on the SP side; the IdP was never contacted.
    expect(value.hops.every((h) => !h.url.startsWith(idp.ssoUrl))).toBe(true);
  });

  it('a declared IdP elsewhere does not match; no declaration gives matchesDeclared null', async () => {
    const targets = await probe([
      { id: 'a', name: 'A', loginUrl: idp.redirectLoginUrl, identityProvider: { id: 'adfs', protocol: 'saml', url: 'https://adfs.kommun.se/adfs/ls/' } },
      // Same host and port, another path: a prefix must end at a path boundary.
      { id: 'b', name: 'B', loginUrl: idp.redirectLoginUrl, identityProvider: { id: 'x', protocol: 'saml', url: `${idp.base}/saml2/idp/SSO` } },
      { id: 'c', name: 'C', loginUrl: idp.redirectLoginUrl },
    ]);
    expect(targets.map((t) => [t.id, login(t).protocol, login(t).matchesDeclared])).toEqual([
      ['a', 'saml', false],
      ['b', 'saml', false],
      ['c', 'saml', null],
    ]);
    expect(await ssoResult(targets[0]!)).toMatchObject({ status: 'fail', subjects: [`saml → ${idp.ssoUrl}`] });
    expect(await ssoResult(targets[2]!)).toMatchObject({ status: 'not_applicable' });
  });
});
