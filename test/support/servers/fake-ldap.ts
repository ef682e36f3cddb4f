import { createServer, type Server, type Socket } from 'node:net';

/**
 * A tiny LDAP server on 127.0.0.1 for answers no real server gives: wrong value types,
 * missing mandatory attributes, stalls, odd result codes. Requests are parsed only as far
 * as needed (message id, operation, search base and scope); responses are BER-encoded here.
 * Everything a real server can do is tested against slapd or Samba instead.
 */

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, content: Buffer): Buffer => Buffer.concat([Buffer.from([tag]), length(content.length), content]);
const octets = (text: string): Buffer => tlv(0x04, Buffer.from(text, 'utf8'));
const integer = (n: number): Buffer => {
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v & 0xff);
    v >>= 8;
  } while (v > 0);
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return tlv(0x02, Buffer.from(bytes));
};
const sequence = (...parts: Buffer[]): Buffer => tlv(0x30, Buffer.concat(parts));
const message = (id: number, op: Buffer): Buffer => sequence(integer(id), op);
const result = (tag: number, code: number, diagnostic = ''): Buffer => tlv(tag, Buffer.concat([tlv(0x0a, Buffer.from([code])), octets(''), octets(diagnostic)]));

export type FakeAttributes = Record<string, string | string[]>;
export type FakeAnswer = { entry: string; attributes: FakeAttributes } | { reference: string[] } | { done: number; message?: string } | 'stall';

export interface FakeRequest {
  base: string;
  scope: number;
  /** The raw request as latin1 text, for matching on filter contents. */
  text: string;
}

export interface FakeLdapOptions {
  port?: number;
  /** 'connect': accept and never answer; 'bind': never answer the bind. */
  stall?: 'connect' | 'bind';
  bindResult?: number;
  search(request: FakeRequest): FakeAnswer[];
}

function readTlv(buffer: Buffer, offset: number): { tag: number; start: number; end: number } | null {
  if (offset + 2 > buffer.length) return null;
  const tag = buffer[offset]!;
  let len = buffer[offset + 1]!;
  let start = offset + 2;
  if (len & 0x80) {
    const count = len & 0x7f;
    if (start + count > buffer.length) return null;
    len = 0;
    for (let i = 0; i < count; i++) len = len * 256 + buffer[start + i]!;
    start += count;
  }
  return start + len <= buffer.length ? { tag, start, end: start + len } : null;
}

function encodeAnswer(id: number, answer: Exclude<FakeAnswer, 'stall'>): Buffer {
  if ('entry' in answer) {
    const attributes = Object.entries(answer.attributes).map(([type, values]) => sequence(octets(type), tlv(0x31, Buffer.concat((Array.isArray(values) ? values : [values]).map(octets)))));
    return message(id, tlv(0x64, Buffer.concat([octets(answer.entry), sequence(...attributes)])));
  }
  if ('reference' in answer) return message(id, tlv(0x73, Buffer.concat(answer.reference.map(octets))));
  return message(id, result(0x65, answer.done, answer.message));
}

export interface FakeLdapServer {
  url: string;
  close(): Promise<void>;
}

export async function startFakeLdap(options: FakeLdapOptions): Promise<FakeLdapServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (options.stall === 'connect') return;
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const msg = readTlv(pending, 0);
        if (!msg) return;
        const body = pending.subarray(0, msg.end);
        pending = pending.subarray(msg.end);
        const idTlv = readTlv(body, msg.start)!;
        let id = 0;
        for (let i = idTlv.start; i < idTlv.end; i++) id = id * 256 + body[i]!;
        const op = readTlv(body, idTlv.end)!;
        if (op.tag === 0x60) {
          if (options.stall === 'bind') continue;
          socket.write(message(id, result(0x61, options.bindResult ?? 0)));
        } else if (op.tag === 0x63) {
          const base = readTlv(body, op.start)!;
          const scope = readTlv(body, base.end)!;
          const request = { base: body.subarray(base.start, base.end).toString('utf8'), scope: body[scope.start]!, text: body.toString('latin1') };
          for (const answer of options.search(request)) {
            if (answer === 'stall') return;
            socket.write(encodeAnswer(id, answer));
          }
        } else if (op.tag === 0x42) {
          socket.end();
        } else {
          socket.write(message(id, result(0x78, 2, 'unsupported operation')));
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `ldap://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A rootDSE that looks like Active Directory for DC=fake,DC=test. */
export const AD_ROOT_DSE: FakeAnswer = {
  entry: '',
  attributes: { defaultNamingContext: 'DC=fake,DC=test', supportedCapabilities: '1.2.840.113556.1.4.800', schemaNamingContext: 'CN=Schema,CN=Configuration,DC=fake,DC=test' },
};

/** A well-formed domain head; tests break one attribute at a time. */
export const DOMAIN_HEAD: FakeAttributes = {
  minPwdLength: '14', pwdHistoryLength: '24', maxPwdAge: '-9223372036854775808', minPwdAge: '-864000000000', lockoutThreshold: '5',
  lockoutDuration: '-18000000000', lockOutObservationWindow: '-18000000000', pwdProperties: '1', 'msDS-Behavior-Version': '7',
};
