import { resolve } from 'node:path';
import { z } from 'zod';
import { networkOptionsSchema, type NetworkProbeOptions } from '../../../agent/probes/network/options.js';
import { stringOption, UsageError } from '../../args.js';
import type { Lang } from '../../i18n.js';
import type { AdhocProbe } from './index.js';

/** "HOST", "HOST:PORT", "[v6]:PORT" → host and port. */
export function parseSnmpTarget(text: string, lang: Lang): { host: string; port: number } {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(text) ?? /^([^:]+)(?::(\d+))?$/.exec(text) ?? (text.includes(':') ? [text, text, undefined] : null);
  const port = m?.[2] === undefined ? 161 : Number(m[2]);
  if (!m || !m[1] || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError(lang === 'sv' ? `--snmp ska vara VÄRD eller VÄRD:PORT, inte "${text}"` : `--snmp must be HOST or HOST:PORT, not "${text}"`);
  }
  return { host: m[1], port };
}

/** `basvakt scan --probe network --snmp HOST[:PORT] (--community-file F | --v3-user U --auth-file F --priv-file F)`. */
export const networkAdhoc: AdhocProbe = {
  probe: 'network',
  options: {
    snmp: { type: 'string', value: 'VÄRD[:PORT]', help: { sv: 'network: switch att granska med SNMP (utan konfigurationsfil)', en: 'network: switch to audit over SNMP (no config file)' } },
    'community-file': { type: 'string', value: 'FIL', help: { sv: 'network: fil med SNMP v2c-communityn', en: 'network: file holding the SNMP v2c community' } },
    'v3-user': { type: 'string', value: 'NAMN', help: { sv: 'network: SNMPv3-användare (authPriv)', en: 'network: SNMPv3 user (authPriv)' } },
    'auth-file': { type: 'string', value: 'FIL', help: { sv: 'network: fil med SNMPv3-autentiseringslösenordet', en: 'network: file holding the SNMPv3 auth passphrase' } },
    'priv-file': { type: 'string', value: 'FIL', help: { sv: 'network: fil med SNMPv3-krypteringslösenordet', en: 'network: file holding the SNMPv3 privacy passphrase' } },
    'auth-protocol': { type: 'string', value: 'sha|sha256|…', help: { sv: 'network: SNMPv3-autentisering (standard sha)', en: 'network: SNMPv3 auth protocol (default sha)' } },
    'priv-protocol': { type: 'string', value: 'aes|des|…', help: { sv: 'network: SNMPv3-kryptering (standard aes)', en: 'network: SNMPv3 privacy protocol (default aes)' } },
    'network-model': { type: 'string', value: 'FIL', help: { sv: 'nätmodellen (zoner, IP-plan, tillåtna flöden) för --evaluate', en: 'the network model (zones, IP plan, allowed flows) for --evaluate' } },
  },
  async fromFlags(values, lang) {
    const target = stringOption(values, 'snmp');
    const communityFile = stringOption(values, 'community-file');
    const user = stringOption(values, 'v3-user');
    if (target === undefined) {
      if (communityFile || user) throw new UsageError(lang === 'sv' ? '--community-file och --v3-user kräver --snmp VÄRD' : '--community-file and --v3-user need --snmp HOST');
      return undefined;
    }
    if (Boolean(communityFile) === Boolean(user)) {
      throw new UsageError(
        lang === 'sv'
          ? 'ange antingen --community-file FIL (v2c) eller --v3-user NAMN --auth-file FIL --priv-file FIL (v3)'
          : 'give either --community-file FILE (v2c) or --v3-user NAME --auth-file FILE --priv-file FILE (v3)',
      );
    }
    const { host, port } = parseSnmpTarget(target, lang);
    const sw = user
      ? {
          host,
          port,
          version: '3',
          v3: {
            user,
            authFile: stringOption(values, 'auth-file'),
            privFile: stringOption(values, 'priv-file'),
            authProtocol: stringOption(values, 'auth-protocol'),
            privProtocol: stringOption(values, 'priv-protocol'),
          },
        }
      : { host, port, version: '2c', communityFile };
    const schema = networkOptionsSchema(z.string().min(1).transform((p) => resolve(p)));
    const parsed = schema.safeParse({ switches: [sw] });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const flag = issue.path.includes('authFile') ? '--auth-file' : issue.path.includes('privFile') ? '--priv-file' : issue.path.join('.');
      throw new UsageError(`${flag}: ${issue.message}`);
    }
    return parsed.data satisfies NetworkProbeOptions;
  },
};
