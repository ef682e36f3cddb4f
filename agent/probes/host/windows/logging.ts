import { FactError, type Observation } from '../../fact.js';
import type { ProbeContext } from '../../probe.js';
import { parseOrFail, powershellSource, runPowerShell } from './powershell.js';
import { parsePsJson, preview, prop, psList, psSingle, psString, short } from './psjson.js';
import type { LoggingValue } from './types.js';

/**
 * The event log service and the Windows Event Forwarding subscription managers set by
 * policy (values "1", "2", … of the SubscriptionManager key, each
 * "Server=http://wec.example:5985/wsman/SubscriptionManager/WEC,Refresh=60").
 */
export const EVENTLOG_SCRIPT =
  '$svc=Get-Service -Name EventLog -ErrorAction SilentlyContinue;' +
  "$key='HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\EventLog\\EventForwarding\\SubscriptionManager';" +
  '$wef=@();if(Test-Path $key){$item=Get-Item -Path $key;$wef=@($item.GetValueNames() | ForEach-Object { [string]$item.GetValue($_) })};' +
  "[pscustomobject]@{EventLog=if($svc){[string]$svc.Status}else{$null};SubscriptionManagers=$wef} | ConvertTo-Json";
export const EVENTLOG_SOURCE = powershellSource('Get-Service EventLog; HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\EventLog\\EventForwarding\\SubscriptionManager');

/**
 * The audit policy as `auditpol /backup` writes it: CSV whose last column is the setting
 * as a number (0 none, 1 success, 2 failure, 3 both). Unlike `auditpol /get /category:*`,
 * which prints translated names and settings, the subcategory GUIDs and numbers read the
 * same on a Swedish, German or English system.
 */
export const AUDITPOL_SCRIPT =
  "$f=[IO.Path]::Combine([IO.Path]::GetTempPath(),'basvakt-auditpol-'+[guid]::NewGuid().ToString()+'.csv');" +
  'try{$null=& auditpol.exe /backup /file:$f;if($LASTEXITCODE -ne 0){throw "auditpol exited with code $LASTEXITCODE"};Get-Content -Path $f}' +
  'finally{Remove-Item -Path $f -ErrorAction SilentlyContinue}';
export const AUDITPOL_SOURCE = 'auditpol /backup';

/** Subcategory GUIDs (auditpol /list /subcategory:* /v). */
export const AUDIT_LOGON = '{0cce9215-69ae-11d9-bed3-505054503030}';
export const AUDIT_CREDENTIAL_VALIDATION = '{0cce923f-69ae-11d9-bed3-505054503030}';

export type AuditSetting = 'none' | 'success' | 'failure' | 'both';

const SETTING_BY_NUMBER: Record<string, AuditSetting> = { '0': 'none', '1': 'success', '2': 'failure', '3': 'both' };
// `auditpol /get /r` has no number column; its English setting texts are read as a fallback.
const SETTING_BY_TEXT: Record<string, AuditSetting> = {
  'no auditing': 'none',
  success: 'success',
  failure: 'failure',
  'success and failure': 'both',
};

function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

/**
 * Parses the CSV of `auditpol /backup` or `auditpol /get /category:* /r` into settings by
 * lower-case subcategory GUID. Columns are taken by position, since the header is
 * translated: machine, target, subcategory, GUID, inclusion setting, exclusion setting,
 * and for /backup the setting value.
 */
export function parseAuditpolCsv(text: string): Map<string, AuditSetting | null> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  const settings = new Map<string, AuditSetting | null>();
  for (const line of lines.slice(1)) {
    const fields = csvFields(line);
    const guid = fields[3]?.trim().toLowerCase();
    if (!guid || !/^\{[0-9a-f-]{36}\}$/.test(guid)) continue;
    const number = fields[6]?.trim();
    const setting = number !== undefined && number !== '' ? (SETTING_BY_NUMBER[number] ?? null) : (SETTING_BY_TEXT[fields[4]?.trim().toLowerCase() ?? ''] ?? null);
    settings.set(guid, setting);
  }
  if (settings.size === 0) throw new Error(`no audit subcategories in the auditpol output: ${preview(text)}`);
  return settings;
}

/**
 * Logon and Credential Validation both audited (success, failure or both): null when
 * either setting could not be read, so an unreadable policy never counts as audited.
 */
export function auditEnabledFrom(settings: Map<string, AuditSetting | null>): boolean | null {
  const logon = settings.get(AUDIT_LOGON);
  const credentials = settings.get(AUDIT_CREDENTIAL_VALIDATION);
  if (logon === undefined || logon === null || credentials === undefined || credentials === null) return null;
  return logon !== 'none' && credentials !== 'none';
}

export interface EventLogStatus {
  running: boolean;
  forwardTargets: string[];
}

/** Parses the output of EVENTLOG_SCRIPT. */
export function parseEventLogStatus(text: string): EventLogStatus {
  const obj = psSingle(parsePsJson(text), 'EventLog');
  const status = psString(prop(obj, 'EventLog'));
  if (status === null) throw new Error('the EventLog service was not found');
  // Service status names are enum names, not translated; 4 is Running when not cast.
  const running = status.toLowerCase() === 'running' || status === '4';
  const forwardTargets = psList(prop(obj, 'SubscriptionManagers'))
    .map(psString)
    .filter((v): v is string => v !== null)
    .map((v) => {
      const server = /(?:^|,)\s*Server=([^,]+)/i.exec(v);
      return short(server ? server[1]!.trim() : v.trim());
    });
  return { running, forwardTargets: [...new Set(forwardTargets)].slice(0, 64) };
}

export function loggingValue(eventLog: EventLogStatus, auditEnabled: boolean | null): LoggingValue {
  return { daemons: [{ name: 'eventlog', running: eventLog.running }], forwardTargets: eventLog.forwardTargets, auditEnabled };
}

export async function collectLogging(ctx: ProbeContext): Promise<Observation<LoggingValue>> {
  const out = await runPowerShell(ctx, EVENTLOG_SCRIPT, EVENTLOG_SOURCE);
  const eventLog = parseOrFail(EVENTLOG_SOURCE, () => parseEventLogStatus(out));
  let auditEnabled: boolean | null = null;
  let source = EVENTLOG_SOURCE;
  try {
    const csv = await runPowerShell(ctx, AUDITPOL_SCRIPT, AUDITPOL_SOURCE);
    auditEnabled = auditEnabledFrom(parseOrFail(AUDITPOL_SOURCE, () => parseAuditpolCsv(csv)));
    source = `${EVENTLOG_SOURCE}; ${AUDITPOL_SOURCE}`;
  } catch (error) {
    // Reading the audit policy needs administrator rights; without it the policy is unknown (null).
    if (!(error instanceof FactError)) throw error;
    ctx.logger.warn({ err: error.message }, 'auditpol failed; auditEnabled unknown');
  }
  return { value: loggingValue(eventLog, auditEnabled), source };
}
