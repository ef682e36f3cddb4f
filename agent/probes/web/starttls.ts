import type { Socket } from 'node:net';
import { ProbeFailure } from './errors.js';
import { NoTls, type Preamble } from './tls-probe.js';

const MAX_REPLY_BYTES = 64 * 1024;

/**
 * Reads from the socket until `complete` finds a whole reply in what has arrived, and
 * returns it; the bytes after it stay unread (there are none in these exchanges). Bounded in
 * size and time; a closed connection or silence is a failure with the protocol's name.
 */
function readReply<T>(socket: Socket, what: string, timeoutMs: number, complete: (data: Buffer) => T | undefined): Promise<T> {
  return new Promise((resolve, reject) => {
    let data = Buffer.alloc(0);
    const cleanup = () => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
    };
    const fail = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      if (data.length > MAX_REPLY_BYTES) return fail(new ProbeFailure(`${what}: svaret är orimligt långt (reply too long)`, 'EPROTO'));
      try {
        const reply = complete(data);
        if (reply !== undefined) {
          cleanup();
          socket.pause();
          resolve(reply);
        }
      } catch (error) {
        fail(error as Error);
      }
    };
    const onError = (error: Error) => fail(new ProbeFailure(`${what}: ${error.message}`, (error as NodeJS.ErrnoException).code));
    const onClose = () => fail(new ProbeFailure(`${what}: servern stängde anslutningen (server closed the connection)`, 'ECONNRESET'));
    const timer = setTimeout(() => fail(new ProbeFailure(`${what}: inget svar inom ${timeoutMs} ms (no answer in time)`, 'ETIMEDOUT')), timeoutMs);
    socket.on('data', onData);
    socket.once('error', onError);
    socket.once('close', onClose);
    socket.resume();
  });
}

// ---- SMTP (RFC 5321, STARTTLS RFC 3207) ----

interface SmtpReply {
  code: number;
  lines: string[];
}

/** A whole SMTP reply: lines "250-…" continue, "250 …" ends it. */
function smtpReply(data: Buffer): SmtpReply | undefined {
  const text = data.toString('latin1');
  const lines = text.split('\r\n');
  if (lines.length < 2) return undefined;
  const complete = lines.slice(0, -1);
  for (let i = 0; i < complete.length; i++) {
    const m = /^(\d{3})([ -]?)(.*)$/.exec(complete[i]!);
    if (!m) throw new ProbeFailure(`SMTP: oväntat svar '${complete[i]!.slice(0, 80)}' (not an SMTP reply)`, 'EPROTO');
    if (m[2] !== '-') return { code: Number(m[1]), lines: complete.slice(0, i + 1).map((l) => l.slice(4)) };
  }
  return undefined;
}

async function smtpCommand(socket: Socket, command: string, timeoutMs: number): Promise<SmtpReply> {
  socket.write(`${command}\r\n`);
  return readReply(socket, `SMTP ${command.split(' ')[0]}`, timeoutMs, smtpReply);
}

/** Greeting, EHLO, STARTTLS: ready for the handshake, or NoTls when STARTTLS is not offered. */
export function smtpStartTls(heloName: string): Preamble {
  return async (socket, timeoutMs) => {
    const greeting = await readReply(socket, 'SMTP-hälsning (SMTP greeting)', timeoutMs, smtpReply);
    if (greeting.code !== 220) throw new ProbeFailure(`SMTP: servern hälsade med ${greeting.code} (server greeted with ${greeting.code}): ${greeting.lines.join(' ').slice(0, 120)}`, 'EPROTO');
    const ehlo = await smtpCommand(socket, `EHLO ${heloName}`, timeoutMs);
    if (ehlo.code !== 250) throw new ProbeFailure(`SMTP: EHLO besvarades med ${ehlo.code} (EHLO answered ${ehlo.code})`, 'EPROTO');
    if (!ehlo.lines.some((l) => /^STARTTLS\b/i.test(l.trim()))) throw new NoTls('servern erbjuder inte STARTTLS efter EHLO (STARTTLS not advertised)');
    const ready = await smtpCommand(socket, 'STARTTLS', timeoutMs);
    if (ready.code !== 220) throw new NoTls(`STARTTLS besvarades med ${ready.code} (STARTTLS refused): ${ready.lines.join(' ').slice(0, 120)}`);
  };
}

// ---- LDAP StartTLS extended operation (RFC 4511 §4.14) ----

export const STARTTLS_OID = '1.3.6.1.4.1.1466.20037';

/** LDAPMessage { messageID 1, ExtendedRequest [APPLICATION 23] { requestName [0] OID } }. */
export function startTlsRequest(): Buffer {
  const oid = Buffer.from(STARTTLS_OID, 'latin1');
  const name = Buffer.concat([Buffer.from([0x80, oid.length]), oid]);
  const op = Buffer.concat([Buffer.from([0x77, name.length]), name]);
  const body = Buffer.concat([Buffer.from([0x02, 0x01, 0x01]), op]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

interface Tlv {
  tag: number;
  start: number;
  end: number;
}

/** One BER element at `at`: tag, where its content starts and ends; undefined while incomplete. */
function tlv(data: Buffer, at: number): Tlv | undefined {
  if (data.length < at + 2) return undefined;
  const tag = data[at]!;
  let length = data[at + 1]!;
  let start = at + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets === 0 || octets > 3) throw new ProbeFailure('LDAP: ogiltig BER-längd (invalid BER length)', 'EPROTO');
    if (data.length < start + octets) return undefined;
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + data[start + i]!;
    start += octets;
  }
  if (data.length < start + length) return undefined;
  return { tag, start, end: start + length };
}

export interface ExtendedResponse {
  messageId: number;
  resultCode: number;
  diagnostic: string;
}

/** An ExtendedResponse once it has arrived whole; anything else is a protocol error. */
export function ldapExtendedResponse(data: Buffer): ExtendedResponse | undefined {
  const fail = (what: string) => new ProbeFailure(`LDAP: ${what} (not an LDAP extended response)`, 'EPROTO');
  // Judge the first byte at once: garbage would otherwise read as a long element still arriving.
  if (data.length > 0 && data[0] !== 0x30) throw fail(`oväntad tagg 0x${data[0]!.toString(16)}`);
  const message = tlv(data, 0);
  if (!message) return undefined;
  const id = tlv(data, message.start);
  if (!id || id.tag !== 0x02 || id.end - id.start > 4) throw fail('inget meddelande-id');
  const messageId = data.subarray(id.start, id.end).reduce((n, b) => n * 256 + b, 0);
  const op = tlv(data, id.end);
  if (!op || op.tag !== 0x78) throw fail(`oväntad operation 0x${(op?.tag ?? 0).toString(16)}`);
  const code = tlv(data, op.start);
  if (!code || code.tag !== 0x0a || code.end - code.start !== 1) throw fail('ingen resultatkod');
  const matched = tlv(data, code.end);
  const diagnostic = matched && matched.tag === 0x04 ? tlv(data, matched.end) : undefined;
  return {
    messageId,
    resultCode: data[code.start]!,
    diagnostic: diagnostic && diagnostic.tag === 0x04 ? data.subarray(diagnostic.start, diagnostic.end).toString('utf8').slice(0, 200) : '',
  };
}

/** Sends the StartTLS extended request; success (resultCode 0) leaves the socket ready for the handshake. */
export const ldapStartTls: Preamble = async (socket, timeoutMs) => {
  socket.write(startTlsRequest());
  const reply = await readReply(socket, 'LDAP StartTLS', timeoutMs, ldapExtendedResponse);
  if (reply.messageId === 0) throw new NoTls(`servern kopplade ned (notice of disconnection) [LDAP ${reply.resultCode}] ${reply.diagnostic}`.trim());
  if (reply.resultCode !== 0) throw new NoTls(`StartTLS avvisades (StartTLS refused) [LDAP ${reply.resultCode}] ${reply.diagnostic}`.trim());
};
