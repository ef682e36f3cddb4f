/** Reasons for the reader: what went wrong reaching a system, in Swedish with English. */
const CODES: Record<string, string> = {
  ECONNREFUSED: 'anslutningen nekades (connection refused)',
  ECONNRESET: 'anslutningen bröts av servern (connection reset)',
  EPIPE: 'anslutningen bröts av servern (connection closed)',
  ETIMEDOUT: 'tidsgränsen för anslutningen nåddes (connection timed out)',
  EHOSTUNREACH: 'värden går inte att nå (host unreachable)',
  ENETUNREACH: 'nätet går inte att nå (network unreachable)',
  ENOTFOUND: 'värdnamnet finns inte i DNS (host not found)',
  EAI_AGAIN: 'DNS svarade inte (DNS lookup failed temporarily)',
  HPE_HEADER_OVERFLOW: 'svarshuvudena är orimligt stora (response headers too large)',
  HPE_INVALID_CONSTANT: 'svaret är inte HTTP (not an HTTP response)',
  HPE_INVALID_HEADER_TOKEN: 'ogiltiga svarshuvuden (invalid response headers)',
  HPE_INVALID_CHUNK_SIZE: 'ogiltig chunk-kodning i svaret (invalid chunked encoding)',
  HPE_UNEXPECTED_CONTENT_LENGTH: 'motsägelsefull Content-Length (conflicting Content-Length)',
  ERR_SSL_WRONG_VERSION_NUMBER: 'servern talar inte TLS på den här porten (server does not speak TLS here)',
};

/** A failure the probe met on the way, with the reason already worded for the reader. */
export class ProbeFailure extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ProbeFailure';
  }
}

export function describeNetworkError(error: unknown): string {
  if (error instanceof ProbeFailure) return error.message;
  if (!(error instanceof Error)) return String(error).slice(0, 300);
  const code = (error as NodeJS.ErrnoException).code;
  if (code && CODES[code]) return `${CODES[code]} [${code}]`;
  const message = error.message.replace(/\s+/g, ' ').trim().slice(0, 300);
  return code && !message.includes(code) ? `${message} [${code}]` : message;
}

/** The reason a handshake failed, short: OpenSSL's code or Node's. */
export function handshakeCode(error: unknown): string {
  const e = error as NodeJS.ErrnoException & { reason?: string };
  return (e.code ?? e.reason ?? (error instanceof Error ? error.message : String(error))).slice(0, 200);
}
