import type { LocalizedText } from '../report/facts/index.js';

/**
 * BITS (Basnivå för informationssäkerhet, KBM 2006:1) chapters, numbered like
 * SS-ISO/IEC 17799:2005. Rules name the chapters they belong to as strings ("10").
 * Source: /work/shared/BITS.md §1 (chapters 1–11 from the table of contents, 12–15 inferred).
 */
export const BITS_CHAPTERS: Readonly<Record<string, string>> = {
  '1': 'Omfattning',
  '2': 'Termer',
  '3': 'BITS struktur',
  '4': 'Riskbedömning och riskhantering',
  '5': 'Säkerhetspolicy',
  '6': 'Organisation av informationssäkerheten',
  '7': 'Hantering av tillgångar',
  '8': 'Personalresurser och säkerhet',
  '9': 'Fysisk och miljörelaterad säkerhet',
  '10': 'Styrning av kommunikation och drift',
  '11': 'Styrning av åtkomst',
  '12': 'Anskaffning, utveckling och underhåll av informationssystem',
  '13': 'Hantering av informationssäkerhetsincidenter',
  '14': 'Kontinuitetsplanering',
  '15': 'Efterlevnad',
};

export interface BitsCheck {
  id: string;
  title: LocalizedText;
}

/** The automatable checks of BITS.md §3 (ids such as AV-01). Rules name them in `checks`. */
export const BITS_CHECKS: readonly BitsCheck[] = [
  { id: 'AV-01', title: { sv: 'Virusskydd aktivt', en: 'AV running' } },
  { id: 'AV-02', title: { sv: 'Signaturålder', en: 'Signature age' } },
  { id: 'AV-03', title: { sv: 'Täckning', en: 'Coverage' } },
  { id: 'PAT-01', title: { sv: 'OS med support', en: 'Supported OS' } },
  { id: 'PAT-02', title: { sv: 'Säkerhetsuppdateringar', en: 'Patch age' } },
  { id: 'PAT-03', title: { sv: 'Nätutrustningens OS', en: 'Switch OS' } },
  { id: 'PWD-01', title: { sv: 'Lösenordslängd', en: 'Minimum length' } },
  { id: 'PWD-02', title: { sv: 'Kvalitetskontroll', en: 'Quality check' } },
  { id: 'PWD-03', title: { sv: 'Ingen reversibel lagring', en: 'No reversible storage' } },
  { id: 'PWD-04', title: { sv: 'Historik', en: 'History' } },
  { id: 'PWD-05', title: { sv: 'Enhetligt byte', en: 'Uniform change rule' } },
  { id: 'PWD-06', title: { sv: 'Kontolåsning', en: 'Lockout' } },
  { id: 'PWD-07', title: { sv: 'Enhetliga policyer', en: 'Policy uniformity' } },
  { id: 'ACC-01', title: { sv: 'Lösenord upphör aldrig', en: 'Never-expiring passwords' } },
  { id: 'ACC-02', title: { sv: 'Lösenord ej krav', en: 'Password not required' } },
  { id: 'ACC-03', title: { sv: 'Inaktiva konton', en: 'Dormant users' } },
  { id: 'ACC-04', title: { sv: 'Inaktiva datorer', en: 'Stale computers' } },
  { id: 'ACC-05', title: { sv: 'Avslutad anställning', en: 'Leavers' } },
  { id: 'ACC-06', title: { sv: 'Behörighetsgenomgång', en: 'Access review' } },
  { id: 'ACC-07', title: { sv: 'Unika identiteter', en: 'No shared accounts' } },
  { id: 'ACC-08', title: { sv: 'Privilegierade konton', en: 'Admins' } },
  { id: 'ACC-09', title: { sv: 'LAPS', en: 'LAPS' } },
  { id: 'ID-01', title: { sv: 'Gemensam identitetskälla', en: 'One identity source' } },
  { id: 'SSO-01', title: { sv: 'SSO-täckning', en: 'SSO coverage' } },
  { id: 'MFA-01', title: { sv: 'MFA känsliga system', en: 'MFA on sensitive systems' } },
  { id: 'MFA-02', title: { sv: 'MFA fjärr/admin', en: 'MFA remote and admin' } },
  { id: 'LOG-01', title: { sv: 'Granskningspolicy', en: 'Windows audit policy' } },
  { id: 'LOG-02', title: { sv: 'Linuxloggning', en: 'Linux logging' } },
  { id: 'LOG-03', title: { sv: 'Central logg', en: 'Central log' } },
  { id: 'LOG-04', title: { sv: 'Spårbarhet i verksamhetssystem', en: 'Audit trail in business systems' } },
  { id: 'LOG-05', title: { sv: 'Tidssynk', en: 'Time sync' } },
  { id: 'DRF-01', title: { sv: 'Driftavtal', en: 'Operating agreement' } },
  { id: 'DRF-02', title: { sv: 'Systemägare och driftgodkännande', en: 'Owner and operating approval' } },
  { id: 'DRF-03', title: { sv: 'Säkerhetskopiering', en: 'Backup' } },
  { id: 'SEG-01', title: { sv: 'VLAN-zonning', en: 'VLAN zones' } },
  { id: 'SEG-02', title: { sv: 'Ingen zonblandning på accessport', en: 'No mixed access ports' } },
  { id: 'SEG-03', title: { sv: 'Trunkar ADM+PED', en: 'Trunks carrying both' } },
  { id: 'SEG-04', title: { sv: 'Ingen lokal routing ADM↔PED', en: 'No local routing' } },
  { id: 'SEG-05', title: { sv: 'Regelstyrd trafik', en: 'Traffic follows the ruleset' } },
  { id: 'SEG-06', title: { sv: 'Native VLAN', en: 'Native VLAN' } },
  { id: 'SEG-07', title: { sv: '802.1X på ADM-portar', en: '802.1X on ADM ports' } },
  { id: 'SEG-08', title: { sv: 'Nätutrustningshantering', en: 'Device management' } },
  { id: 'CRY-01', title: { sv: 'TLS webb', en: 'TLS on web services' } },
  { id: 'CRY-02', title: { sv: 'E-posttransport', en: 'Mail transport' } },
  { id: 'CRY-03', title: { sv: 'LDAP-signering', en: 'LDAP signing' } },
  { id: 'CRY-04', title: { sv: 'SMB-signering, ej SMBv1', en: 'SMB signing, no SMBv1' } },
  { id: 'CRY-05', title: { sv: 'Krypterad överföring erbjuds', en: 'Encrypted transfer offered' } },
  { id: 'CRY-06', title: { sv: 'Diskkryptering', en: 'Disk encryption' } },
  { id: 'FW-01', title: { sv: 'Värdbrandvägg', en: 'Host firewall' } },
];

export const BITS_CHECK_IDS: ReadonlySet<string> = new Set(BITS_CHECKS.map((c) => c.id));
