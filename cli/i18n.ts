export type Lang = 'sv' | 'en';

/** Swedish unless the user asks for English with --lang en or BASVAKT_LANG=en. */
export function pickLang(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Lang {
  const i = argv.indexOf('--lang');
  const fromArg = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--lang='))?.slice(7);
  const wanted = fromArg ?? env.BASVAKT_LANG;
  return wanted === 'en' ? 'en' : 'sv';
}

export interface Localized {
  sv: string;
  en: string;
}

export function t(text: Localized, lang: Lang): string {
  return text[lang];
}
