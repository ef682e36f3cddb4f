import { resolve } from 'node:path';
import { z } from 'zod';
import { webOptionsSchema, type WebProbeOptions } from '../../../agent/probes/web/options.js';
import { stringOption, UsageError } from '../../args.js';
import type { Lang } from '../../i18n.js';
import type { AdhocProbe } from './index.js';

const IDP_PROTOCOLS = ['saml', 'oidc'] as const;

/**
 * `basvakt scan --probe web --url https://SYSTEM/login [--idp URL [--idp-protocol saml|oidc]] [--ca FILE]`:
 * one business system named after its URL. --url and --ca are shared with the directory
 * probe; an ldap(s):// URL is the directory's, an http(s):// one is a login page.
 */
export const webAdhoc: AdhocProbe = {
  probe: 'web',
  options: {
    url: {
      type: 'string',
      value: 'URL',
      help: {
        sv: 'directory: ldaps://VÄRD[:PORT] att granska (ldap:// använder StartTLS); web: https://-adress till en inloggningssida',
        en: 'directory: ldaps://HOST[:PORT] to audit (ldap:// uses StartTLS); web: https:// address of a login page',
      },
    },
    ca: { type: 'string', value: 'FIL', help: { sv: 'CA-certifikat (PEM) för serverns certifikat (directory, web)', en: "CA certificate (PEM) for the server's certificate (directory, web)" } },
    idp: { type: 'string', value: 'URL', help: { sv: 'web: identitetsleverantörens SSO-adress eller prefix som inloggningen ska skicka till', en: "web: the identity provider's SSO URL or prefix the login should send to" } },
    'idp-protocol': { type: 'string', value: 'saml|oidc', help: { sv: 'web: protokollet för --idp (standard saml)', en: 'web: the protocol of --idp (default saml)' } },
  },
  async fromFlags(values, lang): Promise<WebProbeOptions | undefined> {
    const url = stringOption(values, 'url');
    const idp = stringOption(values, 'idp');
    const protocol = stringOption(values, 'idp-protocol') ?? 'saml';
    if (url === undefined || !/^https?:\/\//i.test(url)) {
      if (idp !== undefined) throw new UsageError(lang === 'sv' ? 'web: --idp kräver --url https://…' : 'web: --idp needs --url https://…');
      return undefined;
    }
    if (!(IDP_PROTOCOLS as readonly string[]).includes(protocol)) {
      throw new UsageError(lang === 'sv' ? `web: --idp-protocol ska vara saml eller oidc, inte "${protocol}"` : `web: --idp-protocol must be saml or oidc, not "${protocol}"`);
    }
    const ca = stringOption(values, 'ca');
    const path = z.string().min(1).transform((p) => resolve(p));
    const parsed = webOptionsSchema(path).safeParse({
      systems: [
        {
          id: url.slice(0, 256),
          name: (URL.canParse(url) ? new URL(url).host : url).slice(0, 256),
          loginUrl: url,
          ...(idp !== undefined ? { identityProvider: { id: 'idp', protocol, url: idp } } : {}),
        },
      ],
      ...(ca ? { caFile: ca } : {}),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const flag = issue.path.includes('identityProvider') ? '--idp' : issue.path.includes('caFile') ? '--ca' : '--url';
      throw new UsageError(`web: ${flag}: ${issue.message}`);
    }
    return parsed.data;
  },
};
