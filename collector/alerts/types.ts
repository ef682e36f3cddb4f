import type { LocalizedText } from '../../report/facts/index.js';

/** Every kind of alert; the transition kinds, the digest and an agent's silence and return. */
export type AlertKind = 'new' | 'regressed' | 'resolved' | 'unknown' | 'digest' | 'agent-silent' | 'agent-back';

export interface AlertTarget {
  kind: string;
  id: string;
  name: string;
  subjects: string[];
}

export interface TransitionAlert {
  type: 'transition';
  kind: 'new' | 'regressed' | 'resolved' | 'unknown';
  tenantId: string;
  tenantName: string;
  ruleId: string;
  ruleTitle: LocalizedText | null;
  severity: string;
  goals: string[];
  targets: AlertTarget[];
  at: string;
}

export interface DigestItem {
  ruleId: string;
  ruleTitle: LocalizedText | null;
  severity: string;
  count: number;
  /** Target names, the first few only. */
  targets: string[];
}

export interface DigestAlert {
  type: 'digest';
  kind: 'digest';
  tenantId: string;
  tenantName: string;
  route: string;
  /** The local date the digest is for, YYYY-MM-DD. */
  date: string;
  totalFailing: number;
  items: DigestItem[];
  at: string;
}

export interface AgentAlert {
  type: 'agent';
  kind: 'agent-silent' | 'agent-back';
  tenantId: string;
  tenantName: string;
  agentId: string;
  hostname: string;
  /** When the agent was last heard from before the silence. */
  lastSeenAt: string;
  at: string;
}

/** What the outbox stores; rendered for each channel only when sent. */
export type AlertPayload = TransitionAlert | DigestAlert | AgentAlert;

/** An alert ready to enqueue for one channel. */
export interface OutgoingAlert {
  channelId: string;
  /** Unique per channel and event: enqueuing it twice keeps one. */
  dedupeKey: string;
  /** Alerts with the same group key waiting together are sent as one. */
  groupKey: string;
  payload: AlertPayload;
}

/** One send: one or more alerts of one group merged, with the outbox keys it carries. */
export interface Delivery {
  ids: string[];
  payload: AlertPayload;
}

export type RuleTitleLookup = (ruleId: string) => LocalizedText | undefined;
