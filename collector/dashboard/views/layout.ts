import { h, type Child, type Html } from '../html.js';
import type { Texts } from '../i18n/index.js';
import { settingsTexts } from '../i18n/tenant-settings.js';

export interface PageContext {
  t: Texts;
  /** Path and query of this page, to build the language switch link. */
  url: string;
  user?: { name: string; csrfToken: string | null };
  tenant?: { id: string; name: string };
  /** Which menu entry is current. */
  section?: 'overview' | 'findings' | 'targets' | 'agents' | 'waivers' | 'controls' | 'audit' | 'reports' | 'settings' | 'federation' | 'start' | 'catalogue';
}

function withLang(url: string, lang: string): string {
  const [path, query = ''] = url.split('?');
  const params = new URLSearchParams(query);
  params.set('lang', lang);
  return `${path}?${params.toString()}`;
}

function tenantNav(ctx: PageContext): Html {
  const { t, tenant, section } = ctx;
  if (!tenant) return h``;
  const base = `/t/${encodeURIComponent(tenant.id)}`;
  const items: [PageContext['section'], string, string][] = [
    ['overview', base, t.nav.overview],
    ['findings', `${base}/findings`, t.nav.findings],
    ['targets', `${base}/targets`, t.nav.targets],
    ['agents', `${base}/agents`, t.nav.agents],
    ['waivers', `${base}/waivers`, t.nav.waivers],
    ['controls', `${base}/controls`, settingsTexts(t.lang).navControls],
    ['audit', `${base}/audit`, t.nav.audit],
    ['reports', `${base}/reports`, t.nav.reports],
    ['settings', `${base}/settings`, t.nav.settings],
    ['catalogue', `/regler?lang=${t.lang}`, t.nav.catalogue],
  ];
  return h`<nav class="main-nav" aria-label="${t.nav.label}"><ul>${items.map(
    ([key, href, label]) => h`<li><a href="${href}"${key === section ? h` aria-current="page"` : ''}>${label}</a></li>`,
  )}</ul></nav>`;
}

/** The page frame: skip link, header with menu and user, main landmark, footer. */
export function layout(ctx: PageContext, title: string, body: Child): Html {
  const { t } = ctx;
  return h`<!doctype html>
<html lang="${t.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} – basvakt</title>
<link rel="stylesheet" href="/assets/basvakt.css">
<script src="/assets/basvakt.js" defer></script>
</head>
<body>
<a class="skip-link" href="#main">${t.skipToContent}</a>
<header class="site-header">
  <div class="header-row">
    <a class="brand" href="/">basvakt</a>
    ${ctx.tenant ? h`<span class="tenant-name">${ctx.tenant.name}</span>` : ''}
    <div class="header-tools">
      <a href="${withLang(ctx.url, t.switchLangHref)}" lang="${t.switchLangHref}" hreflang="${t.switchLangHref}">${t.switchLang}</a>
      ${ctx.user && !ctx.tenant ? h`<a href="/regler?lang=${t.lang}"${ctx.section === 'catalogue' ? h` aria-current="page"` : ''}>${t.nav.catalogue}</a>` : ''}
      ${ctx.user
        ? h`<span class="who">${t.loggedInAs(ctx.user.name)}</span>
      <form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${ctx.user.csrfToken ?? ''}"><button type="submit" class="link-button">${t.logout}</button></form>`
        : ''}
    </div>
  </div>
  ${tenantNav(ctx)}
</header>
<main id="main" tabindex="-1">
${body}
</main>
<footer class="site-footer"><p>basvakt – ${t.lang === 'sv' ? 'säkerhetsläget mot Mål 2007 och BITS' : 'security posture against the 2007 goals and BITS'}</p></footer>
</body>
</html>`;
}
