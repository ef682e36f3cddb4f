import type { z } from 'zod';
import type { hostFacts } from '../../../../report/facts/host.js';
import type { Observation } from '../../fact.js';
import { FactError, UnsupportedFact } from '../../fact.js';
import type { LinuxContext } from './context.js';
import { commandLine, failure, tryRun } from './run.js';

/**
 * The SMB server on Linux: Samba's effective configuration as `testparm -s -v` prints it
 * (every [global] parameter, defaults included). Only whether clients must sign and whether
 * SMB1 is accepted are judged here; the rule decides whether that is good enough.
 * smb.conf(5): "server signing" is default, auto, mandatory (printed "required") or disabled,
 * and default means required only when "server role" is active directory domain controller;
 * "server min protocol" defaults to SMB2_02, and CORE … NT1 are SMB1 dialects.
 */

export type SmbServerValue = z.infer<typeof hostFacts.smbServer.value>;

const SMB1_DIALECTS = new Set(['CORE', 'COREPLUS', 'LANMAN1', 'LANMAN2', 'NT1']);
const SMB2_DIALECT = /^SMB(2|3)(_\d\d)?$/;
const READ = ['server signing', 'server min protocol', 'server max protocol', 'server role'] as const;

/** Parses `testparm -s -v` output: the [global] section's parameters named in READ. */
export function parseTestparm(text: string): SmbServerValue {
  const settings: Record<string, string> = {};
  let inGlobal = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) {
      inGlobal = line.toLowerCase() === '[global]';
      continue;
    }
    if (!inGlobal) continue;
    const match = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    const key = match?.[1]!.toLowerCase();
    if (key && (READ as readonly string[]).includes(key)) settings[key] = match![2]!.trim();
  }
  for (const key of ['server signing', 'server min protocol'] as const) {
    if (settings[key] === undefined) throw new Error(`testparm printed no "${key}" under [global]`);
  }
  const signing = settings['server signing']!.toLowerCase();
  const role = (settings['server role'] ?? 'auto').toLowerCase();
  let signingRequired: boolean;
  if (signing === 'mandatory' || signing === 'required') signingRequired = true;
  else if (signing === 'default') signingRequired = role === 'active directory domain controller';
  else if (['auto', 'disabled', 'if_required', 'desired', 'enabled', 'off', 'no', 'yes', 'on'].includes(signing)) signingRequired = false;
  else throw new Error(`unknown "server signing" value "${settings['server signing']}"`);
  const min = settings['server min protocol']!.toUpperCase();
  if (!SMB1_DIALECTS.has(min) && !SMB2_DIALECT.test(min)) throw new Error(`unknown "server min protocol" value "${settings['server min protocol']}"`);
  return { server: 'samba', signingRequired, smb1Enabled: SMB1_DIALECTS.has(min), settings };
}

/** `configFile`: for tests; the agent reads Samba's compiled-in smb.conf. */
export async function collectSmbServer(c: LinuxContext, configFile?: string): Promise<Observation<SmbServerValue>> {
  // samba-common-bin (testparm) is installed without smbd by some client packages: smbd decides.
  if ((await tryRun(c, 'smbd', ['-V'])) === null) {
    throw new UnsupportedFact('Samba (smbd) är inte installerat – ingen SMB-server på datorn (no SMB server: Samba not installed)');
  }
  const args = ['-s', '-v', ...(configFile ? [configFile] : [])];
  const source = commandLine('testparm', args);
  const result = await tryRun(c, 'testparm', args);
  if (result === null) throw new FactError('smbd finns men inte testparm (samba-common-bin); inställningarna kan inte läsas (testparm not installed)', source);
  if (result.code !== 0) throw new FactError(failure('testparm', args, result), source);
  try {
    return { value: parseTestparm(result.stdout), source };
  } catch (error) {
    throw new FactError(`${source}: ${(error as Error).message}`, source);
  }
}
