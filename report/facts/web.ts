import { z } from 'zod';
import { nullableText, shortText, timestamp } from '../common.js';
import type { FactSpecs } from './spec.js';

/**
 * Facts the web probe reports about a business system of the system register: where its
 * login page sends an unauthenticated visitor (SAML, OIDC, Kerberos or nothing), the TLS of
 * the login page's host, and TLS or STARTTLS on its declared LDAP, SMTP and HTTPS endpoints.
 * Nothing here is a verdict: whether a version is too old or a certificate too close to
 * expiry is for the rules.
 */

/** URLs are shown with long query values (SAMLRequest, state, …) cut short. */
export const urlText = z.string().max(1024);

export const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
const tlsVersion = z.enum(TLS_VERSIONS);

export const certificateValue = z.strictObject({
  /** Distinguished name, e.g. "CN=login.kommun.se, O=Kommunen". */
  subject: shortText,
  issuer: shortText,
  subjectAltNames: z.array(shortText).max(200),
  notBefore: timestamp,
  notAfter: timestamp,
  /** Days from collection to notAfter; negative once expired. Rules compute it afresh from notAfter. */
  daysToExpiry: z.number(),
  /** The chain verifies against the system's CAs plus the configured CA file. */
  chainValid: z.boolean(),
  /** OpenSSL's reason when it does not, e.g. CERT_HAS_EXPIRED. */
  chainError: nullableText,
  /** The certificate names the host it was reached at (DNS name or IP address SAN). */
  hostnameMatch: z.boolean(),
  selfSigned: z.boolean(),
  fingerprintSha256: shortText,
  /** RSA modulus bits or EC curve size; null when unknown. */
  keyBits: z.number().int().nonnegative().nullable(),
  /** Subjects from the leaf up: up to the trusted CA when the chain verifies, else as far as it could be built. */
  chain: z.array(shortText).max(10),
});

const versionAttempt = z.strictObject({
  version: tlsVersion,
  offered: z.boolean(),
  /** The cipher negotiated when offered. */
  cipher: nullableText,
  /** Why the handshake failed when not offered (OpenSSL's code). */
  detail: nullableText,
});

/** What a TLS handshake showed, one version pinned at a time. */
const tlsObservation = {
  versions: z.array(versionAttempt).max(TLS_VERSIONS.length),
  /** The versions a handshake succeeded with. */
  offered: z.array(tlsVersion).max(TLS_VERSIONS.length),
  /** From the handshake with the highest version; null when none succeeded. */
  certificate: certificateValue.nullable(),
};

const declaredIdp = z.strictObject({
  protocol: z.enum(['saml', 'oidc']),
  identityProviderUrl: urlText,
});

const hop = z.strictObject({
  url: urlText,
  status: z.number().int().min(100).max(999),
  location: urlText.nullable(),
});

export const webFacts = {
  login: {
    description: {
      sv: 'Inloggningssidan utan inloggning: omdirigeringar och identitetsleverantör (SAML, OIDC, Kerberos)',
      en: 'The login page without logging in: redirects and identity provider (SAML, OIDC, Kerberos)',
    },
    value: z.strictObject({
      url: urlText,
      /** The authentication the system register declares, copied so rules need no other fact. */
      declared: declaredIdp.nullable(),
      /** none: the page answered without sending the visitor to an identity provider; unknown: it could not be told (error page). */
      protocol: z.enum(['saml', 'oidc', 'kerberos', 'none', 'unknown']),
      binding: z.enum(['HTTP-Redirect', 'HTTP-POST']).nullable(),
      /** The identity provider's SSO or authorize endpoint, without query. */
      identityProviderUrl: urlText.nullable(),
      identityProviderHost: shortText.nullable(),
      /** identityProviderUrl lies under the declared URL (same origin, path prefix); null when none is declared. */
      matchesDeclared: z.boolean().nullable(),
      saml: z
        .strictObject({
          issuer: nullableText,
          destination: urlText.nullable(),
          assertionConsumerServiceUrl: urlText.nullable(),
          /** Why the SAMLRequest could not be read (not base64, not deflated, not an AuthnRequest). */
          error: nullableText,
        })
        .nullable(),
      oidc: z
        .strictObject({
          clientId: shortText,
          responseType: shortText,
          scope: nullableText,
          redirectUri: urlText.nullable(),
          issuerHost: shortText,
        })
        .nullable(),
      /** Schemes of WWW-Authenticate on a final 401 (Negotiate, NTLM, Basic, …). */
      authenticate: z.array(shortText).max(10),
      /** Every response in order: its status and where it pointed. */
      hops: z.array(hop).max(64),
      finalStatus: z.number().int().min(100).max(999).nullable(),
      finalUrl: urlText,
      /** Why following stopped after the identity provider's request had been seen (the request itself is proof). */
      stopped: nullableText,
    }),
  },
  tls: {
    description: {
      sv: 'TLS för inloggningssidans värd: versioner, certifikat och HSTS',
      en: "TLS of the login page's host: versions, certificate and HSTS",
    },
    value: z.strictObject({
      host: shortText,
      port: z.number().int().min(1).max(65535),
      /** False when the login URL is plain http: nothing is encrypted. */
      tls: z.boolean(),
      ...tlsObservation,
      /** Strict-Transport-Security of the login URL's answer; null when absent or not checked. */
      hsts: z
        .strictObject({
          /** Seconds; null when the header has no valid max-age. */
          maxAge: z.number().int().nonnegative().nullable(),
          includeSubDomains: z.boolean(),
          preload: z.boolean(),
          header: shortText,
        })
        .nullable(),
      /** Why HSTS could not be checked (the request failed); then hsts null says nothing. */
      hstsError: nullableText,
    }),
  },
  endpoints: {
    description: {
      sv: 'TLS eller STARTTLS på systemets LDAP-, SMTP- och HTTPS-ändpunkter',
      en: "TLS or STARTTLS on the system's LDAP, SMTP and HTTPS endpoints",
    },
    value: z.strictObject({
      endpoints: z
        .array(
          z.strictObject({
            protocol: z.enum(['ldap', 'ldaps', 'smtp', 'smtps', 'https']),
            host: shortText,
            port: z.number().int().min(1).max(65535),
            /** starttls or implicit when a handshake succeeded; none when the server offers no TLS; null when it could not be told (error). */
            tlsMode: z.enum(['starttls', 'implicit', 'none']).nullable(),
            ...tlsObservation,
            /** With tlsMode none: what the server said (STARTTLS not advertised, StartTLS refused, no handshake succeeded). */
            noTlsReason: nullableText,
            /** Why this endpoint could not be examined (refused, timeout, not speaking the protocol). */
            error: nullableText,
          }),
        )
        .max(50),
    }),
  },
} satisfies FactSpecs;

export type LoginValue = z.infer<typeof webFacts.login.value>;
export type TlsValue = z.infer<typeof webFacts.tls.value>;
export type EndpointsValue = z.infer<typeof webFacts.endpoints.value>;
export type EndpointValue = EndpointsValue['endpoints'][number];
export type CertificateValue = z.infer<typeof certificateValue>;
export type TlsVersion = (typeof TLS_VERSIONS)[number];
