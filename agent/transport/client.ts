import http from 'node:http';
import https from 'node:https';
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { silentLogger } from '../../common/logger.js';
import { API_PREFIX, agentCredentialSchema, bearerToken, type AgentCredential, type ApiError } from '../../report/api.js';
import type { Report } from '../../report/schema.js';
import { NetworkError, parseRetryAfter, postJson, type HttpResponse } from './http.js';

/** Where reports are posted. Matches the collector's route; belongs in report/api.ts beside API_PREFIX. */
export const INGEST_PATH = `${API_PREFIX}/reports`;
export const ENROLL_PATH = `${API_PREFIX}/enroll`;

export interface ApiProblem {
  path: string;
  message: string;
}

export type SendResult =
  | { kind: 'accepted' | 'duplicate' }
  /** The collector refused this report for good; sending it again will not help. */
  | { kind: 'rejected'; status: number; message: string; problems: ApiProblem[] }
  /** The credential was refused; the agent must be enrolled again. */
  | { kind: 'unauthorized'; status: number; message: string }
  /** Try again later: the collector could not be reached or asked us to wait. */
  | { kind: 'retry'; reason: string; status?: number; retryAfterMs?: number };

/** Statuses that say "this report is wrong", not "the collector is unwell". */
const PERMANENT_STATUSES = new Set([400, 409, 413, 415, 422]);

export class EnrollError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'EnrollError';
  }
}

export interface CollectorClientOptions {
  /** Base URL of the collector, without a trailing slash (as the config gives it). */
  url: string;
  /** PEM CA certificate(s) to trust instead of the system store. */
  ca?: string | Buffer;
  /** Client certificate and key for mutual TLS. */
  cert?: Buffer;
  key?: Buffer;
  timeoutMs: number;
  userAgent?: string;
  logger?: Logger;
  now?: () => Date;
}

/** Talks to the collector over HTTP(S). Never logs or reports a token or secret. */
export class CollectorClient {
  readonly url: string;
  private readonly agent: http.Agent;
  private readonly logger: Logger;
  private readonly now: () => Date;

  constructor(private readonly options: CollectorClientOptions) {
    this.url = options.url.replace(/\/+$/, '');
    const isHttps = new URL(this.url).protocol === 'https:';
    this.agent = isHttps
      ? new https.Agent({ keepAlive: true, maxSockets: 1, ...(options.ca ? { ca: options.ca } : {}), ...(options.cert && options.key ? { cert: options.cert, key: options.key } : {}) })
      : new http.Agent({ keepAlive: true, maxSockets: 1 });
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? (() => new Date());
  }

  /** Exchanges a one-time enrollment token for the agent's credential. */
  async enroll(token: string, hostname: string, agentVersion: string): Promise<AgentCredential> {
    let response: HttpResponse;
    try {
      response = await this.post(ENROLL_PATH, JSON.stringify({ token, hostname, agentVersion }), {});
    } catch (error) {
      throw new EnrollError(`Kunde inte nå insamlaren på ${this.url}: ${errorText(error)} (could not reach the collector)`);
    }
    const secrets = [token];
    if (response.status === 200 || response.status === 201) {
      const body = parseJson(response.body) as Record<string, unknown> | undefined;
      const candidate = {
        collectorUrl: this.url,
        agentId: body?.agentId,
        secret: body?.secret,
        tenant: body?.tenant,
        enrolledAt: this.now().toISOString(),
      };
      const parsed = agentCredentialSchema.safeParse(candidate);
      if (!parsed.success) {
        const fields = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
        throw new EnrollError(`Insamlaren svarade ${response.status} men utan giltig inloggning (fält: ${fields}) (invalid enrollment response)`, response.status);
      }
      return parsed.data;
    }
    const message = scrub(apiErrorOf(response.body)?.message ?? `HTTP ${response.status}`, secrets);
    if (response.status === 401 || response.status === 403) {
      throw new EnrollError(`Registreringstoken avvisades: ${message} (enrollment token refused)`, response.status);
    }
    throw new EnrollError(`Insamlaren avvisade registreringen (HTTP ${response.status}): ${message} (enrollment refused)`, response.status);
  }

  /** Posts one report and says what to do with it next. Never throws for network trouble. */
  async sendReport(report: Report, credential: Pick<AgentCredential, 'agentId' | 'secret'>): Promise<SendResult> {
    const secrets = [credential.secret];
    let response: HttpResponse;
    try {
      response = await this.post(INGEST_PATH, JSON.stringify(report), { authorization: bearerToken(credential) });
    } catch (error) {
      const reason = scrub(errorText(error), secrets);
      this.logger.debug({ reportId: report.reportId, reason }, 'send failed');
      return { kind: 'retry', reason };
    }
    const { status } = response;
    this.logger.debug({ reportId: report.reportId, status }, 'collector answered');
    const apiError = apiErrorOf(response.body);
    const message = scrub(apiError?.message ?? `HTTP ${status}`, secrets);

    if (status >= 200 && status < 300) {
      const body = parseJson(response.body) as { reportId?: unknown; status?: unknown } | undefined;
      // Only an answer that names this report counts as receipt: a proxy's 200 page must not make us delete it.
      if (body?.reportId === report.reportId && (body.status === 'accepted' || body.status === 'duplicate')) return { kind: body.status };
      return { kind: 'retry', status, reason: `oväntat svar ${status} som inte bekräftar rapporten (unexpected answer, report not confirmed)` };
    }
    if (PERMANENT_STATUSES.has(status) || (status === 403 && apiError?.code === 'wrong-agent')) {
      const problems = (apiError?.problems ?? []).map((p) => ({ path: String(p.path), message: scrub(String(p.message), secrets) }));
      return { kind: 'rejected', status, message, problems };
    }
    if (status === 401 || status === 403) return { kind: 'unauthorized', status, message };

    const retryAfterMs = parseRetryAfter(response.headers['retry-after'], this.now());
    const retry = (reason: string): SendResult => ({ kind: 'retry', status, reason, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
    if (status >= 300 && status < 400) {
      // Following a redirect could hand the credential to another host.
      return retry(`insamlaren svarade med omdirigering ${status}, som inte följs — kontrollera collector.url (redirect not followed)`);
    }
    if (status === 404) return retry(`adressen ${this.url}${INGEST_PATH} finns inte (404) — kontrollera collector.url (not found)`);
    if (status === 429) return retry(`insamlaren ber agenten vänta (429 Too Many Requests)`);
    return retry(`insamlaren svarade ${status}: ${message}`);
  }

  /** Closes idle keep-alive connections. */
  close(): void {
    this.agent.destroy();
  }

  private post(path: string, body: string, headers: Record<string, string>): Promise<HttpResponse> {
    return postJson(new URL(`${this.url}${path}`), body, {
      agent: this.agent,
      timeoutMs: this.options.timeoutMs,
      headers: { ...headers, 'user-agent': this.options.userAgent ?? 'basvakt-agent' },
    });
  }
}

export interface CollectorSettings {
  url: string;
  caFile?: string | undefined;
  clientCertFile?: string | undefined;
  clientKeyFile?: string | undefined;
  timeoutSeconds: number;
}

export class CaFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'CaFileError';
  }
}

const CERTIFICATE = { sv: 'inget PEM-certifikat', en: 'certificate' };

async function readPem(field: string, file: string, marker: RegExp, what: { sv: string; en: string }): Promise<Buffer> {
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CaFileError(file, `collector.${field} ${file} kan inte läsas: ${code === 'ENOENT' ? 'filen finns inte' : (code ?? String(error))} (cannot read ${what.en})`);
  }
  if (!marker.test(content.toString('utf8'))) throw new CaFileError(file, `collector.${field} ${file} innehåller ${what.sv} (no PEM ${what.en})`);
  return content;
}

/** Builds a client from the `collector` section of the agent config, reading the PEM files it names. */
export async function createCollectorClient(settings: CollectorSettings, extra: Omit<CollectorClientOptions, 'url' | 'ca' | 'cert' | 'key' | 'timeoutMs'> = {}): Promise<CollectorClient> {
  const ca = settings.caFile ? await readPem('caFile', settings.caFile, /-----BEGIN CERTIFICATE-----/, CERTIFICATE) : undefined;
  const cert = settings.clientCertFile ? await readPem('clientCertFile', settings.clientCertFile, /-----BEGIN CERTIFICATE-----/, CERTIFICATE) : undefined;
  const key = settings.clientKeyFile ? await readPem('clientKeyFile', settings.clientKeyFile, /-----BEGIN [A-Z ]*PRIVATE KEY-----/, { sv: 'ingen PEM-nyckel', en: 'private key' }) : undefined;
  return new CollectorClient({ ...extra, url: settings.url, timeoutMs: settings.timeoutSeconds * 1000, ...(ca ? { ca } : {}), ...(cert && key ? { cert, key } : {}) });
}

function errorText(error: unknown): string {
  if (error instanceof NetworkError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function apiErrorOf(text: string): ApiError['error'] | undefined {
  const body = parseJson(text) as Partial<ApiError> | undefined;
  const error = body?.error;
  if (!error || typeof error !== 'object' || typeof error.message !== 'string') return undefined;
  return { code: String(error.code ?? ''), message: error.message, ...(Array.isArray(error.problems) ? { problems: error.problems } : {}) };
}

/** Removes any secret a server might echo back before text reaches a log or an error. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[dolt]');
  return out;
}
