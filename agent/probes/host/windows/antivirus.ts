import { FactError, type Observation } from '../../fact.js';
import type { ProbeContext } from '../../probe.js';
import { parseOrFail, powershellSource, runPowerShell } from './powershell.js';
import { parsePsJson, prop, psBool, psDate, psInt, psObjects, psSingle, psString, short } from './psjson.js';
import type { AntivirusProduct, AntivirusValue } from './types.js';

export const DEFENDER_SCRIPT =
  'Get-MpComputerStatus | Select-Object AMServiceEnabled,AntivirusEnabled,RealTimeProtectionEnabled,AMRunningMode,' +
  'AntivirusSignatureLastUpdated,AntivirusSignatureAge,AntivirusSignatureVersion,AMProductVersion | ConvertTo-Json';
export const DEFENDER_SOURCE = powershellSource('Get-MpComputerStatus');

/** Security Center's view of registered anti-virus products; the namespace exists only on client editions. */
export const SECURITY_CENTER_SCRIPT =
  'Get-CimInstance -Namespace root/SecurityCenter2 -ClassName AntiVirusProduct | ' +
  'Select-Object displayName,instanceGuid,productState,pathToSignedProductExe,timestamp | ConvertTo-Json';
export const SECURITY_CENTER_SOURCE = powershellSource('Get-CimInstance -Namespace root/SecurityCenter2 -ClassName AntiVirusProduct');

const DAY_MS = 86_400_000;
/** MSFT_MpComputerStatus reports "never" ages as the largest value of their integer type. */
const NEVER_AGE = new Set([65535, 4294967295]);

/** Parses `Get-MpComputerStatus | ConvertTo-Json` (whole object or a Select-Object of it). */
export function parseDefenderStatus(text: string, now: Date): AntivirusProduct {
  const status = psSingle(parsePsJson(text), 'Get-MpComputerStatus');
  const serviceEnabled = psBool(prop(status, 'AMServiceEnabled'));
  const antivirusEnabled = psBool(prop(status, 'AntivirusEnabled'));
  if (serviceEnabled === null && antivirusEnabled === null) throw new Error('Get-MpComputerStatus has neither AMServiceEnabled nor AntivirusEnabled');
  const signatureDate = psDate(prop(status, 'AntivirusSignatureLastUpdated'));
  const reportedAge = psInt(prop(status, 'AntivirusSignatureAge'));
  let signatureAgeDays: number | null = null;
  if (signatureDate !== null) {
    signatureAgeDays = Math.max(0, Math.round(((now.getTime() - Date.parse(signatureDate)) / DAY_MS) * 100) / 100);
  } else if (reportedAge !== null && reportedAge >= 0 && !NEVER_AGE.has(reportedAge)) {
    signatureAgeDays = reportedAge;
  }
  const version = psString(prop(status, 'AntivirusSignatureVersion'));
  const mode = psString(prop(status, 'AMRunningMode'));
  return {
    name: 'Microsoft Defender Antivirus',
    kind: 'defender',
    installed: true,
    running: serviceEnabled === null || antivirusEnabled === null ? null : serviceEnabled && antivirusEnabled,
    realTimeProtection: psBool(prop(status, 'RealTimeProtectionEnabled')),
    signatureVersion: version === null ? null : short(version),
    signatureDate,
    signatureAgeDays,
    // Defender reports the age itself; it has no separate up-to-date verdict.
    signaturesUpToDate: null,
    mode: mode === null ? null : short(mode),
  };
}

export interface ProductState {
  /** Scanner state, bits 12–15: 0 off, 1 on, 2 snoozed, 3 expired. */
  scanner: 'off' | 'on' | 'snoozed' | 'expired' | 'unknown';
  /** Signature state, bits 4–7: 0 up to date, 1 out of date. */
  signaturesUpToDate: boolean | null;
  /** Bits 8–11: 1 when the product is Windows' own (Defender). */
  microsoft: boolean;
}

/**
 * Decodes AntiVirusProduct.productState. Microsoft does not document the layout; this is
 * the reading that is consistent across public sources and observed values: the low three
 * bytes as hex, 0xPPSSDD, where bits 12–15 are the scanner state (WSC_SECURITY_PRODUCT_STATE:
 * on, off, snoozed, expired), bits 4–7 the signature state (WSC_SECURITY_SIGNATURE_STATUS:
 * 0 up to date, 1 out of date), bits 8–11 the owner (1 = Windows) and bits 16–23 the
 * provider type (WSC_SECURITY_PROVIDER, 4 = anti-virus). 397568 = 0x061100 is Defender,
 * on, up to date; 393472 = 0x060100 is Defender, off; 266256 = 0x041010 is a third-party
 * product, on, out of date. Sources: neophob.com/2010/03/wmi-query-windows-securitycenter2,
 * the PowerShell tip "Identifying Antivirus Engine State" (community.idera.com, 2020-09-07)
 * and the WSC_SECURITY_PRODUCT_STATE / WSC_SECURITY_SIGNATURE_STATUS enums of iwscapi.h.
 */
export function decodeProductState(productState: number): ProductState {
  const scannerBits = (productState >> 12) & 0xf;
  const signatureBits = (productState >> 4) & 0xf;
  const scanner = (['off', 'on', 'snoozed', 'expired'] as const)[scannerBits] ?? 'unknown';
  return {
    scanner,
    signaturesUpToDate: signatureBits === 0 ? true : signatureBits === 1 ? false : null,
    microsoft: ((productState >> 8) & 0xf) === 1,
  };
}

/** Parses `Get-CimInstance -Namespace root/SecurityCenter2 -ClassName AntiVirusProduct | ConvertTo-Json`. */
export function parseSecurityCenterProducts(text: string): AntivirusProduct[] {
  return psObjects(parsePsJson(text), 'AntiVirusProduct').map((product) => {
    const name = psString(prop(product, 'displayName'));
    const productState = psInt(prop(product, 'productState'));
    if (name === null || productState === null) throw new Error('AntiVirusProduct without displayName or productState');
    const state = decodeProductState(productState);
    const on = state.scanner === 'unknown' ? null : state.scanner === 'on';
    return {
      name: short(name),
      kind: 'securitycenter' as const,
      installed: true,
      running: on,
      realTimeProtection: on,
      signatureVersion: null,
      signatureDate: null,
      signatureAgeDays: null,
      signaturesUpToDate: state.signaturesUpToDate,
      mode: null,
    };
  });
}

/**
 * Collects Defender's own status and, on client editions, Security Center's list (which
 * also shows third-party products). Either one alone is a usable answer; neither is an error.
 */
export async function collectAntivirus(ctx: ProbeContext, isServer: boolean | null): Promise<Observation<AntivirusValue>> {
  const products: AntivirusProduct[] = [];
  const sources: string[] = [];
  const problems: string[] = [];

  try {
    const out = await runPowerShell(ctx, DEFENDER_SCRIPT, DEFENDER_SOURCE);
    products.push(parseOrFail(DEFENDER_SOURCE, () => parseDefenderStatus(out, ctx.now())));
    sources.push(DEFENDER_SOURCE);
  } catch (error) {
    if (!(error instanceof FactError)) throw error;
    problems.push(`Get-MpComputerStatus: ${error.message}`);
  }

  if (isServer === true) {
    problems.push('SecurityCenter2 is not available on server editions');
  } else {
    try {
      const out = await runPowerShell(ctx, SECURITY_CENTER_SCRIPT, SECURITY_CENTER_SOURCE);
      products.push(...parseOrFail(SECURITY_CENTER_SOURCE, () => parseSecurityCenterProducts(out)));
      sources.push(SECURITY_CENTER_SOURCE);
    } catch (error) {
      if (!(error instanceof FactError)) throw error;
      problems.push(`SecurityCenter2: ${error.message}`);
    }
  }

  if (sources.length === 0) throw new FactError(`no anti-virus status could be read (${problems.join('; ')})`, DEFENDER_SOURCE);
  return { value: { products: products.slice(0, 32) }, source: sources.join('; ') };
}
