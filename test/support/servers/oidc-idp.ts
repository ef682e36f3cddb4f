import { createHash, randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import Provider from 'oidc-provider';
import { startHttp, type Running } from './https.js';
import { freePort } from './ports.js';

/**
 * A real OpenID Connect provider (oidc-provider 9.13, TEST-SERVERS.md Part 2 §2) and a relying
 * party ("business system") on 127.0.0.1. The RP builds its authorization request the way
 * openid-client 6 does (redirect_uri, scope, state, PKCE S256, client_id, response_type=code);
 * the provider answers it as it would in production: 303 to its /interaction/UID login page.
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
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
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
  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: 'test-rp-secret', redirect_uris: [`${rpBase}/cb`], grant_types: ['authorization_code'], response_types: ['code'] }],
    cookies: { keys: ['test-cookie-key'] },
    findAccount: async (_ctx, id) => ({ accountId: id, claims: async () => ({ sub: id }) }),
  });
  const server: Server = await new Promise((resolve) => {
    const listening = provider.listen(port, '127.0.0.1', () => resolve(listening));
  });
  return {
    issuer,
    authorizationEndpoint: `${issuer}/auth`,
    loginUrl: `${rpBase}/login`,
    clientId,
    redirectUri: `${rpBase}/cb`,
    async close() {
      server.closeAllConnections();
      await Promise.all([new Promise((resolve) => server.close(resolve)), rp.close()]);
    },
  };
}
