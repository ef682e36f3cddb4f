import type { FastifyRequest } from 'fastify';
import { en } from './en.js';
import { sv, type Texts } from './sv.js';

export type { Texts };
export type Lang = 'sv' | 'en';
export const LANG_COOKIE = 'basvakt_lang';

export function texts(lang: Lang): Texts {
  return lang === 'en' ? en : sv;
}

/** Swedish unless `?lang=en` or the language cookie says English. */
export function langOf(request: FastifyRequest): Lang {
  const query = (request.query as Record<string, unknown> | undefined)?.lang;
  if (query === 'en' || query === 'sv') return query;
  return request.cookies?.[LANG_COOKIE] === 'en' ? 'en' : 'sv';
}
