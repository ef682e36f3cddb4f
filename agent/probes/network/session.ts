import snmp, { type Session, type Varbind } from 'net-snmp';

/** An SNMP conversation with one switch, bounded in time and size. */
export interface SnmpClient {
  readonly label: string;
  get(oids: readonly string[]): Promise<Varbind[]>;
  /** Every varbind under `base`, in order; throws SnmpError on timeout, loops or too many rows. */
  walk(base: string): Promise<Varbind[]>;
  close(): void;
}

export class SnmpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnmpError';
  }
}

export interface SessionLimits {
  timeoutMs: number;
  retries: number;
  /** Rows per table walk; a larger table is an error, not a silent truncation. */
  maxRows: number;
  maxRepetitions: number;
  /** Absolute time (ms since epoch) after which no new request is sent. */
  deadline: number;
}

export type SnmpCredentials =
  | { version: '1' | '2c'; community: string }
  | {
      version: '3';
      user: string;
      authKey: string;
      privKey: string;
      authProtocol: keyof typeof snmp.AuthProtocols;
      privProtocol: keyof typeof snmp.PrivProtocols;
    };

const END_OF_MIB_VIEW = 130;

function parseOid(oid: string): number[] {
  return oid.replace(/^\./, '').split('.').map(Number);
}

/** -1, 0 or 1 as a sorts before, equal to or after b, in SNMP's lexicographic order. */
export function compareOids(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

export function isUnder(base: readonly number[], oid: readonly number[]): boolean {
  return oid.length > base.length && base.every((v, i) => oid[i] === v);
}

function describe(error: Error): string {
  return error.name === 'RequestTimedOutError' ? 'inget svar inom tidsgränsen (request timed out)' : error.message;
}

export function openSnmp(host: string, port: number, credentials: SnmpCredentials, limits: SessionLimits): SnmpClient {
  const options = { port, retries: limits.retries, timeout: limits.timeoutMs, backoff: 1, transport: host.includes(':') ? ('udp6' as const) : ('udp4' as const) };
  let session: Session;
  if (credentials.version === '3') {
    session = snmp.createV3Session(
      host,
      {
        name: credentials.user,
        level: snmp.SecurityLevel.authPriv,
        authProtocol: snmp.AuthProtocols[credentials.authProtocol],
        authKey: credentials.authKey,
        privProtocol: snmp.PrivProtocols[credentials.privProtocol],
        privKey: credentials.privKey,
      },
      options,
    );
  } else {
    session = snmp.createSession(host, credentials.community, { ...options, version: credentials.version === '1' ? snmp.Version1 : snmp.Version2c });
  }
  // A socket error is answered per request; without a listener it would crash the process.
  session.on('error', () => undefined);
  const label = `${host}:${port}`;

  const checkDeadline = () => {
    if (Date.now() > limits.deadline) throw new SnmpError(`tidsgränsen för switchen passerades (deadline for the switch passed)`);
  };

  const get = (oids: readonly string[]) =>
    new Promise<Varbind[]>((resolve, reject) => {
      checkDeadline();
      session.get([...oids], (error, varbinds) => (error ? reject(new SnmpError(describe(error))) : resolve(varbinds)));
    });

  const bulk = (oid: string) =>
    new Promise<Varbind[]>((resolve, reject) => {
      // With no non-repeaters, net-snmp answers [[repetitions of the one OID]].
      session.getBulk([oid], 0, limits.maxRepetitions, (error, varbinds) => {
        if (error) return reject(new SnmpError(describe(error)));
        const first = varbinds[0] as unknown;
        resolve(Array.isArray(first) ? (first as Varbind[]) : varbinds.filter(Boolean));
      });
    });

  return {
    label,
    get,
    async walk(baseOid) {
      const base = parseOid(baseOid);
      const rows: Varbind[] = [];
      let current = base;
      for (;;) {
        checkDeadline();
        const varbinds = await bulk(current.join('.'));
        if (varbinds.length === 0) return rows;
        for (const vb of varbinds) {
          if (vb.type === END_OF_MIB_VIEW || snmp.isVarbindError(vb)) return rows;
          const oid = parseOid(vb.oid);
          if (!isUnder(base, oid)) return rows;
          if (compareOids(oid, current) <= 0) throw new SnmpError(`agenten svarade med en OID som inte ökar: ${vb.oid} (agent returned a non-increasing OID)`);
          rows.push(vb);
          if (rows.length > limits.maxRows) throw new SnmpError(`tabellen ${baseOid} har fler än ${limits.maxRows} rader (table too large)`);
          current = oid;
        }
      }
    },
    close: () => session.close(),
  };
}
