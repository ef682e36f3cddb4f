import type { IncomingMessage, ServerResponse } from 'node:http';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttp, startRaw, type Running } from '../../../support/servers/https.js';
import { failure, login, probeOne } from './support.js';

/**
 * Login pages that misbehave, on real sockets: loops, redirects out of http, bodies and
 * headers far too large, silence, bytes that are not HTTP, garbage SAML requests. Each one
 * is an error naming the system and the address, or a clear value — never a crash, never a pass.
 */
type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const deflated = (xml: string) => deflateRawSync(Buffer.from(xml)).toString('base64');

describe('web probe: hostile and broken login pages', () => {
  const servers: Record<string, Running> = {};
  const cookiesSeen: Record<string, (string | undefined)[]> = { a: [], b: [] };
  let bodyBytesSent = 0;

  const http = async (name: string, handler: Handler) => {
    servers[name] = await startHttp(handler);
  };

  beforeAll(async () => {
    await http('loop', (req, res) => res.writeHead(302, { Location: req.url === '/a' ? '/b' : '/a' }).end());
    await http('chain', (req, res) => res.writeHead(302, { Location: `/r/${Number(req.url!.split('/')[2] ?? 0) + 1}` }).end());
    await http('file', (_req, res) => res.writeHead(302, { Location: 'file:///etc/passwd' }).end());
    await http('javascript', (_req, res) => res.writeHead(301, { Location: 'javascript:alert(1)' }).end());
    await http('huge', (_req, res) => {
      // 50 MB announced and streamed lazily, until the probe hangs up.
      res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Length': String(50 * 1024 * 1024) });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const pump = () => {
        while (bodyBytesSent < 50 * 1024 * 1024 && !res.destroyed) {
          bodyBytesSent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    await http('hugeChunked', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      const chunk = Buffer.alloc(64 * 1024, 'b');
      const pump = () => {
        for (let i = 0; i < 800 && !res.destroyed; i++) if (!res.write(chunk)) return void res.once('drain', pump);
        res.end();
      };
      pump();
    });
    servers.silent = await startRaw(() => undefined);
    servers.garbage = await startRaw((s) => s.end('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n'));
    servers.bigHeaders = await startRaw((s) => s.end(`HTTP/1.1 200 OK\r\nX-Filler: ${'x'.repeat(200 * 1024)}\r\nContent-Length: 0\r\n\r\n`));
    await http('badSaml', (req, res) => {
      const to: Record<string, string> = {
        '/notbase64': '/sso?SAMLRequest=%21%21not*base64%21%21',
        '/notdeflate': `/sso?SAMLRequest=${encodeURIComponent(Buffer.from('plain text, not deflated').toString('base64'))}`,
        '/notauthn': `/sso?SAMLRequest=${encodeURIComponent(deflated('<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>'))}`,
        '/bomb': `/sso?SAMLRequest=${encodeURIComponent(deflateRawSync(Buffer.alloc(4 * 1024 * 1024, '<')).toString('base64'))}`,
      };
      if (to[req.url!]) res.writeHead(302, { Location: to[req.url!] }).end();
      else res.writeHead(200, { 'Content-Type': 'text/html' }).end('<p>IdP</p>');
    });
    await http('kerberos', (req, res) =>
      res.writeHead(401, { 'WWW-Authenticate': req.url === '/basic' ? 'Basic realm="intranät"' : ['Negotiate', 'NTLM'] }).end(),
    );
    await http('b', (req, res) => {
      cookiesSeen.b!.push(req.headers.cookie);
      res.writeHead(302, { Location: `${servers.a!.url}back`, 'Set-Cookie': 'bsid=2; Path=/' }).end();
    });
    await http('a', (req, res) => {
      cookiesSeen.a!.push(req.headers.cookie);
      if (req.url === '/start') res.writeHead(302, { Location: `${servers.b!.url}x`, 'Set-Cookie': ['asid=1; Path=/; HttpOnly', 'gone=1; Max-Age=0'] }).end();
      else if (req.url === '/back') res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html><meta http-equiv="refresh" content="0; URL=\'/done\'"></html>');
      else res.writeHead(200, { 'Content-Type': 'text/html' }).end('<p>inloggning</p>');
    });
    await http('ssoThenDown', (_req, res) => res.writeHead(302, { Location: `http://127.0.0.1:1/sso?SAMLRequest=${encodeURIComponent(deflated('<AuthnRequest Destination="http://127.0.0.1:1/sso"><Issuer>urn:sp</Issuer></AuthnRequest>'))}` }).end());
  });
  afterAll(async () => {
    await Promise.all(Object.values(servers).map((s) => s.close()));
  });

  const system = (url: string) => ({ id: 'sys', name: 'Ekonomisystemet', loginUrl: url });
  const url = (name: string, path = '') => `${servers[name]!.url}${path.replace(/^\//, '')}`;

  it('a redirect loop is an error that says so', async () => {
    const target = await probeOne(system(url('loop', '/a')), { maxRedirects: 5 });
    expect(failure(target, 'login')).toMatch(/^Inloggningssidan för Ekonomisystemet \(http:\/\/127\.0\.0\.1:\d+\/[ab]\): omdirigeringsslinga.*\(redirect loop\)/);
  });

  it('an endless chain of new addresses stops at maxRedirects', async () => {
    const target = await probeOne(system(url('chain', '/r/0')), { maxRedirects: 3 });
    expect(failure(target, 'login')).toMatch(/fler än 3 omdirigeringar \(more than 3 redirects\)/);
  });

  it('redirects to file: and javascript: are refused, not followed', async () => {
    expect(failure(await probeOne(system(url('file'))), 'login')).toMatch(/omdirigering till file: är inte tillåten \(redirect to a non-http scheme\): file:\/\/\/etc\/passwd/);
    expect(failure(await probeOne(system(url('javascript'))), 'login')).toMatch(/omdirigering till javascript: är inte tillåten/);
  });

  it('a 50 MB body is an error after at most a few MB read, announced or chunked', async () => {
    expect(failure(await probeOne(system(url('huge'))), 'login')).toMatch(/svaret är större än 1024 KiB \(response body too large\)/);
    expect(bodyBytesSent).toBeLessThan(8 * 1024 * 1024);
    expect(failure(await probeOne(system(url('hugeChunked'))), 'login')).toMatch(/response body too large/);
  });

  it('a server that never answers times out; bytes that are not HTTP and 200 kB of headers are errors', async () => {
    expect(failure(await probeOne(system(url('silent')), { timeoutMs: 300 }), 'login')).toMatch(/inom 300 ms|i 300 ms/);
    expect(failure(await probeOne(system(url('garbage'))), 'login')).toMatch(/HPE_|not an HTTP response|Parse Error/i);
    expect(failure(await probeOne(system(url('bigHeaders'))), 'login')).toMatch(/svarshuvudena är orimligt stora \(response headers too large\) \[HPE_HEADER_OVERFLOW\]/);
  });

  it('a host that does not exist is an error naming it', async () => {
    const target = await probeOne(system('https://inget-system.invalid/login'));
    expect(failure(target, 'login')).toMatch(/inget-system\.invalid.*\[(ENOTFOUND|EAI_AGAIN)\]/);
    expect(failure(target, 'tls')).toMatch(/^TLS för Ekonomisystemet \(inget-system\.invalid:443\)/);
  });

  it('garbage SAMLRequests give protocol saml with the reason in saml.error', async () => {
    const errors: Record<string, string | null | undefined> = {};
    for (const path of ['/notbase64', '/notdeflate', '/notauthn', '/bomb']) {
      const value = login(await probeOne(system(url('badSaml', path))));
      expect([path, value.protocol, value.binding, value.finalStatus]).toEqual([path, 'saml', 'HTTP-Redirect', 200]);
      errors[path] = value.saml?.error;
    }
    expect(errors).toEqual({
      '/notbase64': 'SAMLRequest är inte base64 (SAMLRequest is not base64)',
      '/notdeflate': expect.stringMatching(/går inte att packa upp \(SAMLRequest does not inflate\)/),
      '/notauthn': 'inte en AuthnRequest utan samlp:LogoutRequest (not an AuthnRequest)',
      // 4 MB of '<' deflated into 4 kB: inflating stops at 256 kB.
      '/bomb': 'SAMLRequest går inte att packa upp (SAMLRequest does not inflate) [ERR_BUFFER_TOO_LARGE]',
    });
  });

  it('Negotiate on a 401 is Kerberos; Basic is no SSO', async () => {
    expect(login(await probeOne(system(url('kerberos'))))).toMatchObject({ protocol: 'kerberos', finalStatus: 401, authenticate: ['Negotiate', 'NTLM'], identityProviderUrl: null });
    expect(login(await probeOne(system(url('kerberos', '/basic'))))).toMatchObject({ protocol: 'none', finalStatus: 401, authenticate: ['Basic'] });
  });

  it('cookies go back only to the host that set them; a meta refresh is followed', async () => {
    const value = login(await probeOne(system(url('a', '/start'))));
    expect(value.hops.map((h) => [h.status, new URL(h.url).pathname])).toEqual([
      [302, '/start'],
      [302, '/x'],
      [200, '/back'],
      [200, '/done'],
    ]);
    expect(value.hops[2]!.location).toBe(url('a', '/done'));
    expect(cookiesSeen.b).toEqual([undefined]);
    // asid came back to a; the expired cookie did not, and b's cookie stayed with b.
    expect(cookiesSeen.a).toEqual([undefined, 'asid=1', 'asid=1']);
  });

  it('when the identity provider cannot be reached after its request was seen, the request is still the evidence', async () => {
    const value = login(await probeOne({ ...system(url('ssoThenDown')), identityProvider: { id: 'idp', protocol: 'saml', url: 'http://127.0.0.1:1/' } }));
    expect(value).toMatchObject({ protocol: 'saml', matchesDeclared: true, finalStatus: null, saml: { issuer: 'urn:sp', destination: 'http://127.0.0.1:1/sso' } });
    expect(value.stopped).toMatch(/anslutningen nekades \(connection refused\).*\(http:\/\/127\.0\.0\.1:1\/sso\?SAMLRequest=/);
  });
});
