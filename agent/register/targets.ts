import { basename } from 'node:path';
import type { RegisterEntry } from '../../report/facts/register.js';
import type { Target } from '../../report/schema.js';
import { DEFAULT_PORTS, type Register, type SystemEntry } from './schema.js';

const orNull = <T>(value: T | undefined): T | null => (value === undefined ? null : value);

const person = (p: SystemEntry['owner']) => (p ? { name: p.name, role: orNull(p.role), email: orNull(p.email) } : null);

/** A register entry with every field present (null where the register says nothing), as the `register` fact carries it. */
export function normalizeEntry(system: SystemEntry, register: Register): RegisterEntry {
  const auth = system.authentication;
  const idp = auth?.identityProvider !== undefined ? register.identityProviders?.find((i) => i.id === auth.identityProvider) : undefined;
  const c = system.classification;
  return {
    id: system.id,
    name: system.name,
    category: system.category,
    purpose: orNull(system.purpose),
    owner: person(system.owner),
    administrator: person(system.administrator),
    classification: c ? { confidentiality: c.confidentiality, integrity: c.integrity, availability: c.availability, assessedAt: orNull(c.assessedAt) } : null,
    businessCritical: orNull(system.businessCritical),
    personalData: orNull(system.personalData),
    sensitive: orNull(system.sensitive),
    operatingAgreement: system.operatingAgreement
      ? { reference: system.operatingAgreement.reference, supplier: orNull(system.operatingAgreement.supplier), validUntil: orNull(system.operatingAgreement.validUntil) }
      : null,
    securityPlan: system.securityPlan ? { reviewedAt: system.securityPlan.reviewedAt, reference: orNull(system.securityPlan.reference) } : null,
    operatingApproval: system.operatingApproval ? { approvedAt: system.operatingApproval.approvedAt, approvedBy: orNull(system.operatingApproval.approvedBy) } : null,
    authentication: auth
      ? { sso: auth.sso, identityProvider: idp ? { id: idp.id, protocol: idp.protocol, url: idp.url } : null, mfaRequired: orNull(auth.mfaRequired) }
      : null,
    userGroups: system.userGroups ?? [],
    loginUrl: orNull(system.loginUrl),
    auditLogging: system.auditLogging ? { enabled: system.auditLogging.enabled, destination: orNull(system.auditLogging.destination) } : null,
    lastAccessReview: orNull(system.lastAccessReview),
    backup: system.backup ? { lastRestoreTest: orNull(system.backup.lastRestoreTest), offlineCopy: orNull(system.backup.offlineCopy) } : null,
    remoteAccess: system.remoteAccess ? { allowed: system.remoteAccess.allowed, via: orNull(system.remoteAccess.via) } : null,
    secureTransfer: orNull(system.secureTransfer),
    hosts: system.hosts ?? [],
    endpoints: (system.endpoints ?? []).map((e) => ({ protocol: e.protocol, host: e.host, port: e.port ?? DEFAULT_PORTS[e.protocol] })),
  };
}

export interface RegisterTargetOptions {
  /** Line of each system's entry in the file (LoadedRegister.lines), for the fact's source. */
  lines?: readonly number[];
  collectedAt?: Date;
}

/**
 * One `system` target per register entry, carrying the entry as its `register` fact. The
 * source names the file and the entry's line, so a finding points at what to edit.
 */
export function registerTargets(register: Register, file: string, options: RegisterTargetOptions = {}): Target[] {
  const collectedAt = (options.collectedAt ?? new Date()).toISOString();
  const name = basename(file);
  return register.systems.map((system, i) => {
    const line = options.lines?.[i];
    return {
      kind: 'system',
      id: system.id,
      name: system.name,
      facts: [{ name: 'register', status: 'ok', value: normalizeEntry(system, register), source: line ? `${name}:${line}` : name, collectedAt }],
    };
  });
}
