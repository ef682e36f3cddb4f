/** Reasons for the reader: what went wrong talking to the directory, without secrets. */
const TLS_CODES: Record<string, string> = {
  ERR_TLS_CERT_ALTNAME_INVALID: 'certifikatet gäller inte för det här värdnamnet (certificate name mismatch)',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'självsignerat certifikat som inte är betrott; ange caFile (self-signed certificate not trusted)',
  SELF_SIGNED_CERT_IN_CHAIN: 'certifikatkedjan slutar i en CA som inte är betrodd; ange caFile (untrusted CA)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certifikatet kunde inte verifieras; ange caFile (unable to verify certificate)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'certifikatets utfärdare är okänd; ange caFile (unknown issuer)',
  CERT_HAS_EXPIRED: 'certifikatet har gått ut (certificate expired)',
  ECONNREFUSED: 'anslutningen nekades (connection refused)',
  ECONNRESET: 'anslutningen bröts av servern (connection reset)',
  ETIMEDOUT: 'tidsgränsen för anslutningen nåddes (connection timed out)',
  EHOSTUNREACH: 'värden går inte att nå (host unreachable)',
  ENOTFOUND: 'värdnamnet finns inte (host not found)',
};

export function describeLdapError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  if (code && TLS_CODES[code]) return `${TLS_CODES[code]} [${code}]`;
  const name = error.name;
  const resultCode = (error as { code?: unknown }).code;
  const message = error.message.replace(/\s+/g, ' ').trim().slice(0, 300);
  if (name === 'InvalidCredentialsError') return `fel inloggningsuppgifter (invalid credentials) [LDAP 49]`;
  if (name === 'InsufficientAccessError') return `kontot saknar läsbehörighet (insufficient access) [LDAP 50]: ${message}`;
  if (name === 'SizeLimitExceededError') return `servern avbröt: storleksgränsen nåddes (size limit exceeded) [LDAP 4]`;
  if (name === 'TimeLimitExceededError') return `servern avbröt: tidsgränsen nåddes (time limit exceeded) [LDAP 3]`;
  if (/timeout|timed out/i.test(message)) return `servern svarade inte inom tidsgränsen (server did not answer in time): ${message}`;
  return typeof resultCode === 'number' ? `${message} [LDAP ${resultCode}]` : `${message}${code ? ` [${code}]` : ''}`;
}
