import { connect as netConnect, isIP, type Socket } from 'node:net';
import { hostname as osHostname } from 'node:os';
import { connect as tlsConnect } from 'node:tls';
import type { AlertChannelConfig } from '../config.js';
import { alertLine, deliveryId } from '../render.js';
import type { AlertPayload, Delivery } from '../types.js';
import type { AlertChannel } from './channel.js';

type SyslogConfig = Extract<AlertChannelConfig, { kind: 'syslog' }>;
export type Facility = SyslogConfig['facility'];

const FACILITY: Record<Facility, number> = {
  kern: 0, user: 1, mail: 2, daemon: 3, auth: 4, syslog: 5, lpr: 6, news: 7, uucp: 8, cron: 9, authpriv: 10, ftp: 11,
  local0: 16, local1: 17, local2: 18, local3: 19, local4: 20, local5: 21, local6: 22, local7: 23,
};

/** RFC 5424 severities: 2 critical, 3 error, 4 warning, 5 notice, 6 informational. */
const FINDING_SEVERITY: Record<string, number> = { critical: 2, high: 3, medium: 4, low: 5, info: 6 };

/**
 * The private enterprise number in SD-IDs. 32473 is the example number RFC 5424 itself
 * uses; a registered IANA number for basvakt would replace it.
 */
export const SD_ENTERPRISE = 32473;
const BOM = '\uFEFF';
const MAX_TARGETS = 50;

export function syslogSeverity(payload: AlertPayload): number {
  switch (payload.kind) {
    case 'new':
    case 'regressed':
      return payload.type === 'transition' ? (FINDING_SEVERITY[payload.severity] ?? 6) : 6;
    case 'unknown':
    case 'agent-silent':
      return 4;
    case 'resolved':
    case 'agent-back':
      return 5;
    case 'digest':
      return 6;
  }
}

export function msgId(payload: AlertPayload): string {
  return payload.kind.toUpperCase().replace(/-/g, '_');
}

/** SD-PARAM value escaping (RFC 5424 6.3.3): `"`, `\` and `]` get a backslash. */
export function escapeSdValue(value: string): string {
  return value.replace(/[\\"\]]/g, (c) => `\\${c}`);
}

/** PARAM-NAME and the fields in the header: printable US-ASCII without space, `=`, `]` and `"`. */
function headerField(value: string, max: number): string {
  const cleaned = value.replace(/[^!-~]/g, '_').slice(0, max);
  return cleaned.length > 0 ? cleaned : '-';
}

function sdParams(payload: AlertPayload): [string, string][] {
  const params: [string, string][] = [['tenant', payload.tenantId], ['kind', payload.kind]];
  switch (payload.type) {
    case 'transition':
      params.push(['rule', payload.ruleId], ['severity', payload.severity], ['count', String(payload.targets.length)]);
      params.push(['targets', payload.targets.slice(0, MAX_TARGETS).map((t) => t.name).join(',')]);
      break;
    case 'digest':
      params.push(['date', payload.date], ['failing', String(payload.totalFailing)]);
      break;
    case 'agent':
      params.push(['agent', payload.agentId], ['host', payload.hostname], ['lastSeen', payload.lastSeenAt]);
      break;
  }
  return params;
}

export interface SyslogFormatOptions {
  facility: Facility;
  /** For times in the text; the header's TIMESTAMP is always UTC. */
  timeZone?: string | undefined;
  hostname: string;
  procId: string;
  now: Date;
}

/** One RFC 5424 message: header, one SD-ELEMENT, and the text (Swedish, then English) as UTF-8 with a BOM. */
export function formatSyslog(delivery: Delivery, options: SyslogFormatOptions): string {
  const p = delivery.payload;
  const pri = FACILITY[options.facility] * 8 + syslogSeverity(p);
  const sd = `[basvakt@${SD_ENTERPRISE} ${[...sdParams(p), ['id', deliveryId(delivery)] as [string, string]]
    .map(([name, value]) => `${name}="${escapeSdValue(value)}"`)
    .join(' ')}]`;
  const line = alertLine(p, options.timeZone);
  const names = p.type === 'transition' ? `: ${p.targets.slice(0, MAX_TARGETS).map((t) => t.name).join(', ')}` : '';
  const msg = `${p.tenantName}: ${line.sv}${names} (${line.en})`.replace(/[\r\n]+/g, ' ');
  return `<${pri}>1 ${options.now.toISOString()} ${headerField(options.hostname, 255)} basvakt ${headerField(options.procId, 128)} ${headerField(msgId(p), 32)} ${sd} ${BOM}${msg}`;
}

/** RFC 6587 octet counting: the byte length, a space, the message. */
export function frameOctetCounted(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `), body]);
}

export function createSyslogChannel(config: SyslogConfig, secrets: { ca?: Buffer | undefined }, options: { timeZone?: string | undefined; now?: () => Date } = {}): AlertChannel {
  const now = options.now ?? (() => new Date());
  const hostname = config.hostname ?? osHostname();
  return {
    id: config.id,
    kind: 'syslog',
    async send(delivery: Delivery) {
      const frame = frameOctetCounted(formatSyslog(delivery, { facility: config.facility, timeZone: options.timeZone, hostname, procId: String(process.pid), now: now() }));
      await writeOnce(config, secrets.ca, frame);
    },
    async close() {},
  };
}

/** One connection per send: alerts are rare, and a fresh connection never writes into a half-dead one. */
function writeOnce(config: SyslogConfig, ca: Buffer | undefined, frame: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    let socket: Socket;
    let settled = false;
    const done = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(() => done(new Error(`syslog ${config.host}:${config.port} timed out`)), config.timeoutSeconds * 1000);
    const onReady = () => socket.end(frame);
    if (config.transport === 'tls') {
      socket = tlsConnect(
        { host: config.host, port: config.port, ca, rejectUnauthorized: true, minVersion: 'TLSv1.2', ...(isIP(config.host) ? {} : { servername: config.host }) },
        onReady,
      );
    } else {
      socket = netConnect({ host: config.host, port: config.port }, onReady);
    }
    let written = false;
    // Once the frame is flushed, the peer has it unless the connection breaks; wait briefly
    // for its close so the TLS session ends cleanly, and count a late error as delivered.
    socket.on('finish', () => {
      written = true;
      setTimeout(() => done(), 2000).unref();
    });
    socket.on('close', () => done(written ? undefined : new Error(`syslog ${config.host}:${config.port} closed the connection`)));
    socket.on('error', (error) => done(written ? undefined : error));
  });
}
