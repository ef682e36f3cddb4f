import type { Varbind } from 'net-snmp';
import { FactError } from '../fact.js';

/**
 * Typed columns from walked varbinds. A value of the wrong SNMP type is an error for the
 * facts built from that column, never a value guessed at.
 */

const INTEGER_TYPES = new Set([2, 65, 66, 67]);
const OCTET_STRING = 4;

export type Column<T> = Map<string, T>;

/** The index part of an OID below its column, as a dotted string ("1.10" for TimeMark 1, VLAN 10). */
function indexOf(column: string, oid: string): string {
  return oid.replace(/^\./, '').slice(column.length + 1);
}

function wrongType(column: string, vb: Varbind, expected: string): FactError {
  return new FactError(`fel SNMP-typ i ${vb.oid}: typ ${vb.type}, väntade ${expected} (wrong SNMP type in ${column})`);
}

export function integers(column: string, rows: readonly Varbind[]): Column<number> {
  const out: Column<number> = new Map();
  for (const vb of rows) {
    if (!INTEGER_TYPES.has(vb.type) || typeof vb.value !== 'number') throw wrongType(column, vb, 'ett heltal (an integer)');
    out.set(indexOf(column, vb.oid), vb.value);
  }
  return out;
}

export function octets(column: string, rows: readonly Varbind[]): Column<Buffer> {
  const out: Column<Buffer> = new Map();
  for (const vb of rows) {
    if (vb.type !== OCTET_STRING || !Buffer.isBuffer(vb.value)) throw wrongType(column, vb, 'en oktettsträng (an octet string)');
    out.set(indexOf(column, vb.oid), vb.value);
  }
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Display text from an OctetString: UTF-8 where valid, else Latin-1; trailing NULs and spaces removed. */
export function displayText(buf: Buffer): string {
  let text: string;
  try {
    text = utf8.decode(buf);
  } catch {
    text = buf.toString('latin1');
  }
  return text.replace(/[\0\s]+$/u, '').slice(0, 256);
}

export function texts(column: string, rows: readonly Varbind[]): Column<string> {
  return new Map([...octets(column, rows)].map(([k, v]) => [k, displayText(v)]));
}

/** The last sub-identifier of an index ("1.10" → 10): the VLAN of TimeMark-indexed rows. */
export function lastComponent(index: string): number {
  const parts = index.split('.');
  return Number(parts[parts.length - 1]);
}
