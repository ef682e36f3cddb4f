import { X509Certificate } from 'node:crypto';
import { rootCertificates, type SecureContext } from 'node:tls';
import type { TlsVersion } from '../../../report/facts/web.js';
import type { Fact, Target } from '../../../report/schema.js';
import { VERSION } from '../../../common/version.js';
import { observe, UnsupportedFact } from '../fact.js';
import { mapBounded } from '../network/pool.js';
import type { Probe, ProbeContext } from '../probe.js';
import type { WebContext } from './context.js';
import { observeEndpoints } from './endpoints.js';
import { observeLogin } from './login.js';
import { WEB_DEFAULTS, type WebProbeOptions, type WebSystem } from './options.js';
import { systemsFromRegister } from './register.js';
import { observeLoginTls } from './tls-fact.js';
import { tlsContexts } from './tls-probe.js';

export type { WebProbeOptions, WebSystem } from './options.js';

/** Debian/Ubuntu and RHEL-family bundles: the CAs the operating system trusts, a kommun's own CA often among them. */
const SYSTEM_CA_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt'];

async function trustAnchors(options: WebProbeOptions, ctx: ProbeContext): Promise<string[]> {
  const ca = [...rootCertificates];
  for (const bundle of SYSTEM_CA_BUNDLES) {
    try {
      ca.push(await ctx.readFile(bundle));
      break;
    } catch {
      // not this distribution
    }
  }
  if (options.caFile) {
    let pem: string;
    try {
      pem = await ctx.readFile(options.caFile);
    } catch (error) {
      throw new Error(`CA-filen ${options.caFile} kunde inte läsas (CA file unreadable): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    // OpenSSL skips what it cannot parse without a word; every certificate would then look untrusted.
    const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
    const parsed = blocks.filter((block) => {
      try {
        return Boolean(new X509Certificate(block));
      } catch {
        return false;
      }
    });
    if (parsed.length === 0) throw new Error(`CA-filen ${options.caFile} innehåller inget läsbart certifikat i PEM-format (no readable PEM certificate in the CA file)`);
    ca.push(...parsed);
  }
  return ca;
}

/** Every system gets all three facts, so that no rule is left without its fact. */
const FACT_NAMES = ['login', 'tls', 'endpoints'] as const;

const NO_LOGIN_URL = 'ingen inloggningsadress i systemförteckningen (no login URL in the system register)';

async function examineSystem(system: WebSystem, web: WebContext, ctx: ProbeContext): Promise<Target> {
  const facts: Fact[] = [];
  const now = () => ctx.now();
  const { loginUrl } = system;
  if (loginUrl) {
    const withUrl = { ...system, loginUrl };
    facts.push(await observe('login', `HTTP GET ${loginUrl}`, () => observeLogin(withUrl, web), now));
    facts.push(await observe('tls', `TLS ${loginUrl}`, () => observeLoginTls(withUrl, web), now));
  } else {
    // Unknown, not passed: without an address nothing about the login could be seen.
    for (const name of ['login', 'tls']) facts.push(await observe(name, 'systemförteckningen (system register)', () => Promise.reject(new UnsupportedFact(NO_LOGIN_URL)), now));
  }
  // No declared endpoints is itself the observation: an empty list, which the rules skip.
  facts.push(await observe('endpoints', 'TLS', () => observeEndpoints({ ...system, endpoints: system.endpoints ?? [] }, web), now));
  for (const fact of facts) if (fact.status === 'error') ctx.logger.warn({ system: system.id, fact: fact.name }, fact.reason);
  return { kind: 'system', id: system.id, name: system.name, facts };
}

/**
 * The web probe: for each business system, without logging in, where its login page sends
 * a visitor (SAML, OIDC, Kerberos or nowhere), the TLS of the login page's host, and TLS or
 * STARTTLS on its declared LDAP, SMTP and HTTPS endpoints. Facts only; the rules judge.
 */
export function createWebProbe(options: WebProbeOptions | undefined): Probe {
  return {
    name: 'web',
    async collect(ctx) {
      const fromRegister = options?.register ? await systemsFromRegister(options.register, ctx.now()) : undefined;
      const systems = [...(fromRegister?.systems ?? []), ...(options?.systems ?? [])];
      const observed = options && systems.length > 0 ? await examineSystems({ ...options, systems }, ctx) : [];
      if (!fromRegister && observed.length === 0) ctx.logger.warn('web: inga system angivna (no systems configured)');
      return mergeTargets([...(fromRegister?.targets ?? []), ...observed]);
    },
  };
}

/** One target per system: the register entry and what the probe saw of it, side by side. */
function mergeTargets(targets: Target[]): Target[] {
  const byId = new Map<string, Target>();
  for (const target of targets) {
    const known = byId.get(target.id);
    if (known) known.facts = [...known.facts, ...target.facts.filter((f) => !known.facts.some((k) => k.name === f.name))];
    else byId.set(target.id, { ...target, facts: [...target.facts] });
  }
  return [...byId.values()];
}

async function examineSystems(options: WebProbeOptions & { systems: WebSystem[] }, ctx: ProbeContext): Promise<Target[]> {
  let contexts: Record<TlsVersion, SecureContext>;
  try {
    contexts = tlsContexts(await trustAnchors(options, ctx));
  } catch (error) {
    const reason = (error as Error).message;
    const at = ctx.now().toISOString();
    return options.systems.map((s) => ({
      kind: 'system' as const,
      id: s.id,
      name: s.name,
      facts: FACT_NAMES.map((name): Fact => ({ name, status: 'error', source: `CA-fil ${options.caFile}`, collectedAt: at, reason })),
    }));
  }
  const web: WebContext = {
    timeoutMs: options.timeoutMs ?? WEB_DEFAULTS.timeoutMs,
    maxRedirects: options.maxRedirects ?? WEB_DEFAULTS.maxRedirects,
    maxBodyBytes: WEB_DEFAULTS.maxBodyBytes,
    maxHeaderBytes: WEB_DEFAULTS.maxHeaderBytes,
    userAgent: `basvakt/${VERSION} (web probe; no login)`,
    tlsContexts: contexts,
    now: () => ctx.now(),
  };
  return mapBounded(options.systems, options.concurrency ?? WEB_DEFAULTS.concurrency, (system) => examineSystem(system, web, ctx));
}
