import { createHash, randomBytes } from 'node:crypto';
import { startHttp, type Running } from './https.js';

/**
 * An OpenID Connect relying party ("business system") and a stand-in provider on 127.0.0.1.
 *
 * NOT a real identity provider: oidc-provider is not among basvakt's dependencies. The RP
 * builds its authorization request the way openid-client 6 does (TEST-SERVERS.md Part 2 §2:
 * redirect_uri, scope, state, PKCE S256, client_id, response_type=code), and the stand-in
 * provider answers what oidc-provider 9.13 was measured to answer there: a discovery
 * document, and 303 from /auth to its /interaction/UID login page, with a cookie.
 */
export interface OidcPair {
  issuer: string;
  authorizationEndpoint: string;
  /** The RP's login page: 302 to the provider's authorization endpoint. */
  loginUrl: string;
  clientId: string;
  redirectUri: string;
  close(): Promise<void>;
}

const base64url = (b: Buffer) => b.toString('base64url');

export async function startOidcPair(clientId = 'test-rp'): Promise<OidcPair> {
  let issuer = '';
  const provider: Running = await startHttp((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname === '/.well-known/openid-configuration') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(
        JSON.stringify({ issuer, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`, response_types_supported: ['code'] }),
      );
    } else if (url.pathname === '/auth' && url.searchParams.get('client_id') === clientId && url.searchParams.get('response_type') === 'code') {
      const uid = base64url(randomBytes(16));
      res.writeHead(303, { Location: `/interaction/${uid}`, 'Set-Cookie': `_interaction=${uid}; path=/interaction/${uid}; samesite=lax; httponly` }).end();
    } else if (url.pathname.startsWith('/interaction/')) {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<form method="post"><input name="login"><input name="password" type="password"></form>');
    } else {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('invalid_request');
    }
  });
  issuer = `http://127.0.0.1:${provider.port}`;
  let rpBase = '';
  const rp: Running = await startHttp((req, res) => {
    const url = new URL(req.url ?? '/', rpBase);
    if (url.pathname !== '/login') {
      res.writeHead(404).end();
      return;
    }
    const verifier = base64url(randomBytes(32));
    const to = new URL(`${issuer}/auth`);
    to.searchParams.set('redirect_uri', `${rpBase}/cb`);
    to.searchParams.set('scope', 'openid email');
    to.searchParams.set('state', base64url(randomBytes(32)));
    to.searchParams.set('code_challenge', base64url(createHash('sha256').update(verifier).digest()));
    to.searchParams.set('code_challenge_method', 'S256');
    to.searchParams.set('client_id', clientId);
    to.searchParams.set('response_type', 'code');
    res.writeHead(302, { Location: to.href }).end();
  });
  rpBase = `http://127.0.0.1:${rp.port}`;
  return {
    issuer,
    authorizationEndpoint: `${issuer}/auth`,
    loginUrl: `${rpBase}/login`,
    clientId,
    redirectUri: `${rpBase}/cb`,
    async close() {
      await Promise.all([provider.close(), rp.close()]);
    },
  };
}
