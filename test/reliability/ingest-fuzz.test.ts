import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../collector/store/index.js';
import { listenWithoutRules, storeWithAgent } from '../support/collector.js';
import { hostReport } from '../support/reports.js';

/** Sends raw bytes, so invalid UTF-8 and broken JSON reach the server exactly as written. */
function post(base: string, path: string, body: Buffer, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(body.length), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'];

/** Replaces one value somewhere inside a JSON value with another. */
function mutate(value: unknown, path: number[], replacement: unknown): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return replacement;
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  if (entries.length === 0) return replacement;
  const index = path[0]! % entries.length;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...value };
  const [key, child] = entries[index]!;
  (copy as Record<string, unknown>)[key] = mutate(child, path.slice(1), replacement);
  return copy;
}

describe('hostile input to the ingest API (property-based)', () => {
  let store: Store;
  let app: FastifyInstance;
  let base: string;
  let auth: string;
  let agentId: string;

  beforeAll(async () => {
    const setup = await storeWithAgent();
    store = setup.store;
    ({ agentId, auth } = setup.agent);
    ({ app, base } = await listenWithoutRules(store, { bodyLimitBytes: 256 * 1024 }));
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  async function expectRejectedCleanly(body: Buffer): Promise<void> {
    const before = await store.countReports();
    const { status, text } = await post(base, '/api/v1/reports', body, { authorization: auth });
    expect(status, text).toBeGreaterThanOrEqual(400);
    expect(status, text).toBeLessThan(500);
    const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } };
    expect(parsed.error?.code).toBeTruthy();
    expect(parsed.error?.message).toBeTruthy();
    expect(await store.countReports()).toBe(before);
    expect(Object.prototype).not.toHaveProperty('polluted');
  }

  it('answers any JSON value that is not a report with a 4xx and stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 6 }), async (value) => {
        await expectRejectedCleanly(Buffer.from(JSON.stringify(value) ?? 'null'));
      }),
      { numRuns: 150 },
    );
  });

  it('answers a valid report with one field mutated with a 4xx naming the field, or accepts it if still valid', async () => {
    const nasty = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom('', -1, 1e308, '\u0000', 'x'.repeat(5000), [], {}, true, null));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), nasty, async (path, replacement) => {
        const report = mutate(hostReport(agentId), path, replacement);
        const before = await store.countReports();
        const { status, text } = await post(base, '/api/v1/reports', Buffer.from(JSON.stringify(report)), { authorization: auth });
        expect(status, text).toBeLessThan(500);
        if (status >= 400) {
          expect(await store.countReports()).toBe(before);
          const body = JSON.parse(text) as { error: { code: string; problems?: { path: string }[] } };
          if (body.error.code === 'invalid-report') expect(body.error.problems?.[0]?.path).toBeDefined();
        }
      }),
      { numRuns: 150 },
    );
  });

  it('refuses prototype-pollution keys anywhere in a report', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 6 }), fc.constantFrom(...PROTO_KEYS), async (path, key) => {
        const text = JSON.stringify(mutate(hostReport(agentId), path, { marker: 1 })).replace('"marker"', `"${key}":{"polluted":true},"marker"`);
        await expectRejectedCleanly(Buffer.from(text));
      }),
      { numRuns: 60 },
    );
  });

  it('refuses deep nesting, huge arrays, invalid UTF-8 and truncated bodies with a 4xx', async () => {
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    const hugeArray = JSON.stringify({ ...hostReport(agentId), targets: Array.from({ length: 20_000 }, () => 1) });
    const valid = Buffer.from(JSON.stringify(hostReport(agentId)));
    // Inside the host name, where lossy decoding would otherwise store U+FFFD without a word.
    const at = valid.indexOf('web01');
    const invalidUtf8 = Buffer.concat([valid.subarray(0, at), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), valid.subarray(at)]);
    for (const body of [Buffer.from(deep), Buffer.from(hugeArray), invalidUtf8, valid.subarray(0, valid.length - 5), Buffer.from('{"a":1}{"b":2}')]) {
      await expectRejectedCleanly(body);
    }
    const { text } = await post(base, '/api/v1/reports', invalidUtf8, { authorization: auth });
    expect(text).toContain('UTF-8');
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 2000 }), async (bytes) => {
        await expectRejectedCleanly(Buffer.from(bytes));
      }),
      { numRuns: 100 },
    );
  });
});
