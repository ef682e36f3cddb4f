import type { Lang } from './index.js';

/** The words of the overview's identity section (SSO and 2FA in numbers), in Swedish and English. */
const sv = {
  heading: 'Inloggning i siffror',
  lead: 'Räknat i personer: medlemmarna i verksamhetssystemens användargrupper i katalogen, var och en en gång.',
  sso: (n: number, d: number, percent: string, target: string) => `${n} av ${d} användare av verksamhetssystemen (${percent}) kan logga in med enkel inloggning. Mål: mer än ${target}.`,
  notSso: 'System utan enkel inloggning',
  mfa: (with_: number, all: number, percent: string) => `${with_} av ${all} användare av känsliga system (${percent}) har tvåfaktorsinloggning. Mål: alla.`,
  withoutMfa: 'Användare utan MFA',
  incomplete: 'Siffrorna är ofullständiga och visas därför som okända:',
  none: 'Ingen systemförteckning har rapporterats ännu. Ange register i agentens inställning så räknas täckningen här.',
};

const en: typeof sv = {
  heading: 'Login in numbers',
  lead: 'Counted in people: the members of the business systems\' user groups in the directory, each once.',
  sso: (n, d, percent, target) => `${n} of ${d} users of business systems (${percent}) can log in with single sign-on. Goal: more than ${target}.`,
  notSso: 'Systems without single sign-on',
  mfa: (with_, all, percent) => `${with_} of ${all} users of sensitive systems (${percent}) have two-factor authentication. Goal: all of them.`,
  withoutMfa: 'Users without MFA',
  incomplete: 'The figures are incomplete and therefore shown as unknown:',
  none: 'No system register has been reported yet. Set register in the agent settings and the coverage is counted here.',
};

export const IDENTITY_TEXTS: Record<Lang, typeof sv> = { sv, en };
