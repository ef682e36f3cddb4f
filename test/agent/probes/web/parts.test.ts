import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CookieJar } from '../../../../agent/probes/web/cookies.js';
import { parseHsts } from '../../../../agent/probes/web/hsts.js';
import { findForms, metaRefresh } from '../../../../agent/probes/web/html.js';
import { decodeSamlRequest } from '../../../../agent/probes/web/saml.js';
import { ldapExtendedResponse, startTlsRequest } from '../../../../agent/probes/web/starttls.js';
import { ssoFromHtml, ssoFromUrl } from '../../../../agent/probes/web/sso.js';
import { shortUrl, underPrefix } from '../../../../agent/probes/web/urls.js';

/** The web probe's small parsers on the inputs real pages and servers produce, and on hostile ones. */
describe('web probe parts', () => {
  it('an ADFS-style auto-post form with entities yields the SAML POST binding and its Destination', () => {
    const xml = '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1" Destination="https://adfs.kommun.se/adfs/ls/" AssertionConsumerServiceURL="https://sys.kommun.se/acs?a=1&amp;b=2"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">urn:kommun:sys</saml:Issuer></samlp:AuthnRequest>';
    const html = `<html><body onload="document.forms[0].submit()"><FORM METHOD=POST ACTION="https&#x3a;&#x2f;&#x2f;adfs.kommun.se&#x2f;adfs&#x2f;ls&#x2f;">
      <input type="hidden" name="SAMLRequest" value="${Buffer.from(xml).toString('base64')}"/><input type=hidden name=RelayState value='x&amp;y'></FORM></body></html>`;
    expect(findForms(html)[0]).toMatchObject({ action: 'https://adfs.kommun.se/adfs/ls/', method: 'post' });
    expect(findForms(html)[0]!.inputs.get('RelayState')).toBe('x&y');
    const sso = ssoFromHtml(html, new URL('https://sys.kommun.se/login'));
    expect(sso).toMatchObject({ protocol: 'saml', binding: 'HTTP-POST', saml: { issuer: 'urn:kommun:sys', destination: 'https://adfs.kommun.se/adfs/ls/', assertionConsumerServiceUrl: 'https://sys.kommun.se/acs?a=1&b=2', error: null } });
    expect(sso!.endpoint.href).toBe('https://adfs.kommun.se/adfs/ls/');
  });

  it('a deflated POST SAMLRequest is read too; an unclosed tag or a form without SAMLRequest is no SAML', () => {
    const deflated = deflateRawSync('<AuthnRequest Destination="https://idp/sso"><Issuer>sp</Issuer></AuthnRequest>').toString('base64');
    expect(decodeSamlRequest(deflated, 'HTTP-POST')).toEqual({ issuer: 'sp', destination: 'https://idp/sso', assertionConsumerServiceUrl: null, error: null });
    expect(ssoFromHtml('<form action="/x"><input name="username"></form><input name="SAMLRequest"', new URL('https://a/'))).toBeNull();
    expect(findForms('<form action="/x"')).toEqual([]);
    expect(findForms('<formula><input name=a value=1>')).toEqual([]);
  });

  it('OIDC needs both client_id and response_type', () => {
    expect(ssoFromUrl(new URL('https://idp/authorize?client_id=a'))).toBeNull();
    expect(ssoFromUrl(new URL('https://idp/authorize?client_id=a&response_type=code+id_token'))?.oidc).toMatchObject({ clientId: 'a', responseType: 'code id_token', scope: null, redirectUri: null });
  });

  it('meta refresh in its usual spellings', () => {
    expect(metaRefresh('<meta http-equiv="refresh" content="0;url=https://idp/x?a=1">')).toBe('https://idp/x?a=1');
    expect(metaRefresh("<META HTTP-EQUIV=Refresh CONTENT=\"5; URL='/login'\">")).toBe('/login');
    expect(metaRefresh('<meta http-equiv="refresh" content="30">')).toBeNull();
    expect(metaRefresh('<meta name="viewport" content="0;url=/x">')).toBeNull();
  });

  it('HSTS: first header only, quoted max-age, case-insensitive directives', () => {
    expect(parseHsts('max-age="600"; INCLUDESUBDOMAINS; preload')).toEqual({ maxAge: 600, includeSubDomains: true, preload: true, header: 'max-age="600"; INCLUDESUBDOMAINS; preload' });
    expect(parseHsts('max-age=10, max-age=99999')).toMatchObject({ maxAge: 10 });
    expect(parseHsts('includeSubDomains')).toMatchObject({ maxAge: null, includeSubDomains: true });
    expect(parseHsts(undefined)).toBeNull();
  });

  it('cookies: per host and port, Secure only over https, expired ones dropped, at most 50 per host', () => {
    const jar = new CookieJar();
    const a = new URL('https://sys.kommun.se/login');
    jar.store(a, ['sid=1; Domain=kommun.se; Secure; HttpOnly', 'tmp=2; Max-Age=0', 'old=3; Expires=Thu, 01 Jan 1970 00:00:00 GMT']);
    expect(jar.header(a)).toBe('sid=1');
    expect(jar.header(new URL('http://sys.kommun.se/login'))).toBeUndefined();
    expect(jar.header(new URL('https://idp.kommun.se/'))).toBeUndefined();
    expect(jar.header(new URL('https://sys.kommun.se:8443/'))).toBeUndefined();
    jar.store(a, Array.from({ length: 100 }, (_, i) => `c${i}=${i}`));
    expect(jar.header(a)!.split('; ')).toHaveLength(50);
  });

  it('URLs: long query values shortened, prefixes end at path boundaries', () => {
    expect(shortUrl(`https://idp/sso?SAMLRequest=${'A'.repeat(500)}&RelayState=short`)).toBe('https://idp/sso?SAMLRequest=AAAAAAAAAAAAAAAA…&RelayState=short');
    expect(shortUrl(`https://idp/${'p'.repeat(2000)}`).length).toBe(1024);
    const declared = new URL('https://idp.kommun.se/adfs');
    expect(underPrefix(new URL('https://IDP.kommun.se/adfs/ls/'), declared)).toBe(true);
    expect(underPrefix(new URL('https://idp.kommun.se/adfs-test/ls/'), declared)).toBe(false);
    expect(underPrefix(new URL('http://idp.kommun.se/adfs/ls/'), declared)).toBe(false);
    expect(underPrefix(new URL('https://idp.kommun.se:444/adfs/ls/'), declared)).toBe(false);
  });

  it('LDAP StartTLS: the request is the RFC 4511 bytes; replies are read whole, garbage is refused', () => {
    expect(startTlsRequest().toString('hex')).toBe(`301d02010177188016${Buffer.from('1.3.6.1.4.1.1466.20037').toString('hex')}`);
    const ok = Buffer.from('300c02010178070a010004000400', 'hex');
    expect(ldapExtendedResponse(ok)).toEqual({ messageId: 1, resultCode: 0, diagnostic: '' });
    expect(ldapExtendedResponse(ok.subarray(0, 8))).toBeUndefined();
    expect(() => ldapExtendedResponse(Buffer.from('3084ffffffff', 'hex'))).toThrow(/ogiltig BER-längd/);
    // A BindResponse (0x61) where the ExtendedResponse belongs.
    expect(() => ldapExtendedResponse(Buffer.from('30050201016100', 'hex'))).toThrow('LDAP: oväntad operation 0x61 (not an LDAP extended response)');
  });
});
