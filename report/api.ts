import { z } from 'zod';
import { shortText } from './common.js';

/** The HTTP contract between agent and collector, beside the report format itself. */
export const API_PREFIX = '/api/v1';

export const enrollRequestSchema = z.strictObject({
  token: z.string().min(1).max(512),
  hostname: shortText.min(1),
  agentVersion: shortText,
});
export type EnrollRequest = z.infer<typeof enrollRequestSchema>;

export interface EnrollResponse {
  agentId: string;
  /** Shown once; the collector keeps only a hash. The agent sends `Bearer <agentId>.<secret>`. */
  secret: string;
  tenant: string;
}

export interface IngestResponse {
  reportId: string;
  /** accepted: stored now; duplicate: this report id was stored before and nothing changed. */
  status: 'accepted' | 'duplicate';
}

export interface ApiError {
  error: {
    code: string;
    message: string;
    problems?: { path: string; message: string }[];
  };
}

/** What the agent keeps on disk after enrollment (mode 0600). */
export const agentCredentialSchema = z.strictObject({
  collectorUrl: z.string().url(),
  agentId: shortText.min(1),
  secret: z.string().min(16).max(512),
  tenant: shortText.min(1),
  enrolledAt: z.string(),
});
export type AgentCredential = z.infer<typeof agentCredentialSchema>;

export function bearerToken(credential: Pick<AgentCredential, 'agentId' | 'secret'>): string {
  return `Bearer ${credential.agentId}.${credential.secret}`;
}
