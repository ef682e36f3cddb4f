import { h, type Html } from '../html.js';
import type { Texts } from '../i18n/index.js';

export function loginPage(t: Texts, next: string, error: string | undefined): Html {
  return h`<div class="login-box">
<h1>${t.login.title}</h1>
<p>${t.login.intro}</p>
${error ? h`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/login">
  <input type="hidden" name="next" value="${next}">
  <input type="hidden" name="lang" value="${t.lang}">
  <div class="field"><label for="username">${t.login.username}</label><input id="username" name="username" autocomplete="username" required autofocus></div>
  <div class="field"><label for="password">${t.login.password}</label><input id="password" name="password" type="password" autocomplete="current-password" required></div>
  <button type="submit">${t.login.submit}</button>
</form></div>`;
}

export function startPage(t: Texts, tenants: readonly { id: string; name: string }[], federations: readonly { id: string; name: string }[]): Html {
  return h`<h1>${t.start.title}</h1>
${tenants.length === 0 && federations.length === 0 ? h`<p>${t.start.none}</p>` : ''}
${tenants.length > 0 ? h`<h2>${t.start.tenants}</h2><ul class="choices">${tenants.map((x) => h`<li><a href="/t/${encodeURIComponent(x.id)}">${x.name}</a></li>`)}</ul>` : ''}
${federations.length > 0 ? h`<h2>${t.start.federations}</h2><ul class="choices">${federations.map((x) => h`<li><a href="/f/${encodeURIComponent(x.id)}">${x.name}</a></li>`)}</ul>` : ''}`;
}

export function messagePage(t: Texts, message: string, back?: string): Html {
  return h`<h1>${message}</h1><p><a href="${back ?? '/'}">${t.backToOverview}</a></p>`;
}
