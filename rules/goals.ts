import type { LocalizedText } from '../report/facts/index.js';

/**
 * The goals basvakt checks (GOALS.md). Rule packs refer to these ids; reports group by
 * them. `source` says where the goal comes from.
 */
export interface Goal {
  id: string;
  title: LocalizedText;
  source: 'Mål 2007, 6.4' | 'Mål 2007, 5.2' | 'Policy';
}

export const GOALS: readonly Goal[] = [
  {
    id: 'AV',
    source: 'Mål 2007, 6.4',
    title: {
      sv: 'All utrustning som kan drabbas av virus har virusskydd',
      en: 'All equipment at risk of virus infection has anti-virus protection',
    },
  },
  {
    id: 'PROCESS',
    source: 'Mål 2007, 6.4',
    title: { sv: 'En gemensam process för informationssäkerhetsarbetet', en: 'One common process for information-security work' },
  },
  {
    id: 'ID',
    source: 'Mål 2007, 6.4',
    title: { sv: 'Ett gemensamt system för att identifiera användare', en: 'One common system for identifying users' },
  },
  {
    id: 'TRACE',
    source: 'Mål 2007, 6.4',
    title: {
      sv: 'Spårbarhet i alla verksamhetssystem: det går att ta reda på vem som gjorde vad',
      en: 'Traceability in all business systems: who did what can be found out afterwards',
    },
  },
  {
    id: 'DRIFT',
    source: 'Mål 2007, 6.4',
    title: { sv: 'Ett driftavtal för varje IT-system', en: 'An operating agreement for every IT system' },
  },
  {
    id: 'SSO',
    source: 'Mål 2007, 6.4',
    title: {
      sv: 'Mer än hälften av verksamhetssystemens användare kan logga in med enkel inloggning',
      en: 'More than half of the users of business systems can log in with single sign-on',
    },
  },
  {
    id: '2FA',
    source: 'Mål 2007, 6.4',
    title: { sv: 'Tvåfaktorsautentisering för känsliga system', en: 'Two-factor authentication for sensitive systems' },
  },
  {
    id: 'ACCESS',
    source: 'Mål 2007, 6.4',
    title: { sv: 'Enhetliga rutiner för behörighetsadministration', en: 'Uniform routines for access administration' },
  },
  {
    id: 'PWD',
    source: 'Mål 2007, 6.4',
    title: { sv: 'Enhetliga rutiner för byte av lösenord', en: 'Uniform routines for password change' },
  },
  {
    id: 'SEG',
    source: 'Mål 2007, 6.4',
    title: {
      sv: 'Separata logiska nät för olika behov; trafik mellan dem bara genom en skyddande regeluppsättning',
      en: 'Separate logical networks for different needs; traffic between them only through a protecting ruleset',
    },
  },
  {
    id: 'CRYPTO',
    source: 'Mål 2007, 6.4',
    title: {
      sv: 'Kryptering erbjuds för att skicka konfidentiell information',
      en: 'Encryption is offered for sending confidential information',
    },
  },
  {
    id: 'NETSEP',
    source: 'Mål 2007, 5.2',
    title: {
      sv: 'Det administrativa och det pedagogiska nätet är logiskt åtskilda på samma plattform',
      en: 'The administrative and the pedagogical networks are logically separate on the same platform',
    },
  },
  {
    id: 'IPPLAN',
    source: 'Mål 2007, 5.2',
    title: { sv: 'En gemensam IP-plan för alla kommuner', en: 'One common IP plan for all kommuner' },
  },
  {
    id: 'LOGIN',
    source: 'Mål 2007, 5.2',
    title: { sv: 'All personal kan logga in i det administrativa nätet', en: 'All staff can log in to the administrative network' },
  },
  {
    id: 'REMOTE',
    source: 'Mål 2007, 5.2',
    title: { sv: 'Fjärråtkomst finns för personal som arbetar på annan plats', en: 'Remote access exists for mobile staff' },
  },
  {
    id: 'OWNER',
    source: 'Policy',
    title: {
      sv: 'Varje IT-system finns i systemförteckningen och har en systemägare',
      en: 'Every IT system is listed in the system register and has a system owner',
    },
  },
  {
    id: 'SSP',
    source: 'Policy',
    title: {
      sv: 'Verksamhetskritiska system har en systemsäkerhetsplan och ett driftgodkännande',
      en: 'Business-critical systems have a system security plan and an operating approval',
    },
  },
  {
    id: 'CLASS',
    source: 'Policy',
    title: {
      sv: 'Systemen är klassade för konfidentialitet, riktighet och tillgänglighet',
      en: 'Systems are classified for confidentiality, integrity and availability',
    },
  },
  {
    id: 'BACKUP',
    source: 'Policy',
    title: { sv: 'Säkerhetskopior finns och återläsning är provad', en: 'Backups exist and restore is tested' },
  },
];

export const GOAL_IDS: ReadonlySet<string> = new Set(GOALS.map((g) => g.id));

export function goalById(id: string): Goal | undefined {
  return GOALS.find((g) => g.id === id);
}
