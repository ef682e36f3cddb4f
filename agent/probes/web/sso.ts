import type { LoginValue } from '../../../report/facts/web.js';
import { findForms } from './html.js';
import { hostOf } from './http.js';
import { decodeSamlRequest } from './saml.js';
import { shortUrl } from './urls.js';

/** An identity provider's request seen on the way: where the visitor is sent and with what. */
export interface SsoRequest {
  protocol: 'saml' | 'oidc';
  binding: LoginValue['binding'];
  endpoint: URL;
  saml: LoginValue['saml'];
  oidc: LoginValue['oidc'];
}

const text = (value: string | null | undefined, max = 256): string | null => (value == null ? null : value.slice(0, max));

/** A redirect target carrying a SAMLRequest (HTTP-Redirect binding) or an OIDC authorization request. */
export function ssoFromUrl(url: URL): SsoRequest | null {
  const params = url.searchParams;
  const samlRequest = params.get('SAMLRequest');
  if (samlRequest !== null) {
    return { protocol: 'saml', binding: 'HTTP-Redirect', endpoint: url, saml: shortened(decodeSamlRequest(samlRequest, 'HTTP-Redirect')), oidc: null };
  }
  const clientId = params.get('client_id');
  const responseType = params.get('response_type');
  if (clientId !== null && responseType !== null) {
    const redirectUri = params.get('redirect_uri');
    return {
      protocol: 'oidc',
      binding: null,
      endpoint: url,
      saml: null,
      oidc: {
        clientId: text(clientId)!,
        responseType: text(responseType)!,
        scope: text(params.get('scope')),
        redirectUri: redirectUri === null ? null : shortUrl(redirectUri),
        issuerHost: hostOf(url).slice(0, 256),
      },
    };
  }
  return null;
}

/** An HTML page holding a form with a SAMLRequest field (HTTP-POST binding, usually auto-submitted). */
export function ssoFromHtml(html: string, base: URL): SsoRequest | null {
  for (const form of findForms(html)) {
    const samlRequest = form.inputs.get('SAMLRequest');
    if (samlRequest === undefined) continue;
    let endpoint: URL;
    try {
      endpoint = new URL(form.action ?? '', base);
    } catch {
      endpoint = base;
    }
    return { protocol: 'saml', binding: 'HTTP-POST', endpoint, saml: shortened(decodeSamlRequest(samlRequest, 'HTTP-POST')), oidc: null };
  }
  return null;
}

function shortened(info: ReturnType<typeof decodeSamlRequest>): NonNullable<LoginValue['saml']> {
  return {
    issuer: text(info.issuer),
    destination: info.destination === null ? null : shortUrl(info.destination),
    assertionConsumerServiceUrl: info.assertionConsumerServiceUrl === null ? null : shortUrl(info.assertionConsumerServiceUrl),
    error: text(info.error),
  };
}
