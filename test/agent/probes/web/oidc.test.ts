import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOidcPair, type OidcPair } from '../../../support/servers/oidc-idp.js';
import { login, probe } from './support.js';

/**
 * OIDC login: a relying party that builds its authorization request as openid-client does,
 * and a real provider (oidc-provider 9.13) that answers it with 303 to its interaction page.
 */
describe('web probe: OIDC login', () => {
  let pair: OidcPair;
  beforeAll(async () => {
    pair = await startOidcPair();
  });
  afterAll(async () => {
    await pair?.close();
  });

  it('recognises the authorization request, its client and issuer host, and follows to the login page', async () => {
    const [declaredIssuer, declaredElsewhere] = await probe([
      { id: 'skolportal', name: 'Skolportalen', loginUrl: pair.loginUrl, identityProvider: { id: 'idp', protocol: 'oidc', url: pair.issuer } },
      { id: 'annat', name: 'Annat', loginUrl: pair.loginUrl, identityProvider: { id: 'entra', protocol: 'oidc', url: 'https://login.microsoftonline.com/kommun.se/' } },
    ]);
    const value = login(declaredIssuer!);
    expect(value).toMatchObject({
      declared: { protocol: 'oidc', identityProviderUrl: `${pair.issuer}/` },
      protocol: 'oidc',
      binding: null,
      identityProviderUrl: pair.authorizationEndpoint,
      identityProviderHost: new URL(pair.issuer).host,
      matchesDeclared: true,
      saml: null,
      oidc: { clientId: 'test-rp', responseType: 'code', scope: 'openid email', redirectUri: pair.redirectUri, issuerHost: '127.0.0.1' },
      finalStatus: 200,
    });
    expect(value.hops.map((h) => [h.status, new URL(h.url).pathname.replace(/[^/]+$/, (m) => (m.length > 20 ? 'UID' : m))])).toEqual([
      [302, '/login'],
      [303, '/auth'],
      [200, '/interaction/UID'],
    ]);
    // state and code_challenge are 43 characters: shortened in the hop.
    expect(value.hops[1]!.url).toMatch(/state=[^&]{16}…&code_challenge=[^&]{16}…&code_challenge_method=S256&client_id=test-rp&response_type=code$/);
    expect(login(declaredElsewhere!)).toMatchObject({ protocol: 'oidc', matchesDeclared: false });
  });
});
