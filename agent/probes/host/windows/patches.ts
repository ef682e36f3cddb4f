import { FactError, type Observation } from '../../fact.js';
import type { ProbeContext } from '../../probe.js';
import { parseOrFail, powershellSource, runPowerShell } from './powershell.js';
import { isPsObject, parsePsJson, prop, psDate, psList, psObjects, psSingle, psString, short } from './psjson.js';
import type { PatchesValue } from './types.js';

export const HOTFIX_SCRIPT = 'Get-HotFix | Select-Object HotFixID,Description,InstalledOn | ConvertTo-Json';
export const HOTFIX_SOURCE = powershellSource('Get-HotFix');

/**
 * Asks the Windows Update Agent which software updates are applicable and not yet
 * installed (the same search Settings › Windows Update runs, against WSUS when one is
 * configured). Categories are passed with their ids because the names are translated.
 */
export const WUA_SCRIPT =
  '$session=New-Object -ComObject Microsoft.Update.Session;' +
  "$result=$session.CreateUpdateSearcher().Search(\"IsInstalled=0 and Type='Software' and IsHidden=0\");" +
  '$au=(New-Object -ComObject Microsoft.Update.AutoUpdate).Results;' +
  '[pscustomobject]@{' +
  'LastSearchSuccessDate=$au.LastSearchSuccessDate;LastInstallationSuccessDate=$au.LastInstallationSuccessDate;' +
  'Updates=@($result.Updates | ForEach-Object { [pscustomobject]@{Title=$_.Title;KBArticleIDs=@($_.KBArticleIDs);MsrcSeverity=$_.MsrcSeverity;' +
  'Categories=@($_.Categories | ForEach-Object { [pscustomobject]@{Name=$_.Name;CategoryID=$_.CategoryID;Type=$_.Type} })} })' +
  '} | ConvertTo-Json -Depth 5';
export const WUA_SOURCE = powershellSource('Microsoft.Update.Session UpdateSearcher.Search("IsInstalled=0 and Type=\'Software\'")');

/** The "Security Updates" update classification; its id is the same in every language. */
export const SECURITY_UPDATES_CATEGORY = '0fa1201d-4330-4fa8-8ae9-b877473b6441';

export interface PendingUpdate {
  title: string;
  kb: string | null;
  severity: string | null;
  security: boolean;
}

export interface WindowsUpdateSearch {
  pending: PendingUpdate[];
  lastSearch: string | null;
  lastInstallation: string | null;
}

/** Parses the output of WUA_SCRIPT. */
export function parseWindowsUpdateSearch(text: string): WindowsUpdateSearch {
  const root = psSingle(parsePsJson(text), 'Windows Update search');
  if (!Object.keys(root).some((k) => k.toLowerCase() === 'updates')) throw new Error('no Updates in the Windows Update search result');
  const pending = psObjects(prop(root, 'Updates'), 'Updates').map((update): PendingUpdate => {
    const title = psString(prop(update, 'Title')) ?? '(untitled update)';
    const kbId = psList(prop(update, 'KBArticleIDs')).map(psString).find((id): id is string => id !== null) ?? null;
    const severity = psString(prop(update, 'MsrcSeverity'));
    const categories = psList(prop(update, 'Categories')).filter(isPsObject);
    const securityCategory = categories.some(
      (c) => psString(prop(c, 'CategoryID'))?.toLowerCase() === SECURITY_UPDATES_CATEGORY || psString(prop(c, 'Name')) === 'Security Updates',
    );
    return {
      title,
      kb: kbId === null ? null : `KB${kbId.replace(/^KB/i, '')}`,
      severity,
      // MSRC only rates security bulletins, so a rating marks a security update too.
      security: securityCategory || severity !== null,
    };
  });
  return { pending, lastSearch: psDate(prop(root, 'LastSearchSuccessDate')), lastInstallation: psDate(prop(root, 'LastInstallationSuccessDate')) };
}

/** The newest InstalledOn of `Get-HotFix | ConvertTo-Json`, ignoring dates in the future (a known WMI oddity). */
export function parseLastHotfix(text: string, now: Date): string | null {
  const hotfixes = psObjects(parsePsJson(text), 'Get-HotFix');
  let newest: string | null = null;
  for (const hotfix of hotfixes) {
    const installed = psDate(prop(hotfix, 'InstalledOn'));
    if (installed === null || Date.parse(installed) > now.getTime()) continue;
    if (newest === null || installed > newest) newest = installed;
  }
  return newest;
}

function latest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}

export function patchesValue(search: WindowsUpdateSearch, lastHotfix: string | null): PatchesValue {
  const security = search.pending.filter((u) => u.security);
  return {
    manager: 'windows-update',
    pendingSecurity: security.length,
    pendingTotal: search.pending.length,
    securityUpdates: security.slice(0, 500).map((u) => short(u.kb ?? u.title)),
    lastRefresh: search.lastSearch,
    lastInstalled: latest(search.lastInstallation, lastHotfix),
  };
}

export async function collectPatches(ctx: ProbeContext): Promise<Observation<PatchesValue>> {
  // An online search can take minutes on a host that has not searched for a while.
  const wuaOut = await runPowerShell(ctx, WUA_SCRIPT, WUA_SOURCE, { timeoutMs: 10 * 60_000 });
  const search = parseOrFail(WUA_SOURCE, () => parseWindowsUpdateSearch(wuaOut));
  let lastHotfix: string | null = null;
  let source = WUA_SOURCE;
  try {
    const hotfixOut = await runPowerShell(ctx, HOTFIX_SCRIPT, HOTFIX_SOURCE);
    lastHotfix = parseOrFail(HOTFIX_SOURCE, () => parseLastHotfix(hotfixOut, ctx.now()));
    source = `${WUA_SOURCE}; ${HOTFIX_SOURCE}`;
  } catch (error) {
    // The pending updates are the substance of this fact; without Get-HotFix only the
    // install date is less certain, and the agent's own date still comes from WUA.
    if (!(error instanceof FactError)) throw error;
    ctx.logger.warn({ err: error.message }, 'Get-HotFix failed; lastInstalled from Windows Update only');
  }
  return { value: patchesValue(search, lastHotfix), source };
}
