/** What every part of the web probe needs, set once per run. */
export interface WebContext {
  timeoutMs: number;
  maxRedirects: number;
  maxBodyBytes: number;
  maxHeaderBytes: number;
  userAgent: string;
  /** Trust anchors for certificate checks: Node's roots, the system's bundle and the configured CA file. */
  ca: string[];
  now: () => Date;
}
