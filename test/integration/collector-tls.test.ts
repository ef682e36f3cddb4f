import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import { defaultCollectorConfig } from '../../collector/config/load.js';
import { startCollector, type RunningCollector } from '../../collector/index.js';
import { createEnrollmentToken } from '../../collector/services/enrollment.js';
import { createCollectorClient } from '../../agent/transport/index.js';
import { hostReport } from '../support/reports.js';
import { requirePrograms } from '../support/require.js';
import { createTestCa, issueCertificate } from '../support/servers/tls.js';

const hasOpenssl = requirePrograms('collector TLS', ['openssl']);

describe.runIf(hasOpenssl)('collector over TLS with mutual TLS required', () => {
  let dir: string;
  let collector: RunningCollector;
  let caFile: string;
  let client: { certFile: string; keyFile: string };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'basvakt-mtls-'));
    caFile = createTestCa(dir);
    const server = issueCertificate(dir, 'collector', 'IP:127.0.0.1,DNS:localhost');
    client = issueCertificate(dir, 'agent', 'DNS:agent.kommun.test');
    collector = await startCollector(
      defaultCollectorConfig({
        listen: { host: '127.0.0.1', port: 0 },
        database: { driver: 'sqlite', path: join(dir, 'collector.db') },
        tls: { ...server, clientCaFile: caFile, requireClientCert: true },
      }),
      silentLogger,
    );
    await collector.store.createTenant('amal', 'Åmåls kommun', new Date());
  });
  afterAll(async () => {
    await collector?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves HTTPS, and an agent with a client certificate enrolls and delivers', async () => {
    expect(collector.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const agent = await createCollectorClient({ url: collector.url, caFile, clientCertFile: client.certFile, clientKeyFile: client.keyFile, timeoutSeconds: 5 });
    const { token } = await createEnrollmentToken(collector.store, { tenantId: 'amal', maxUses: 1, validForHours: 1, actor: 'test' });
    const credential = await agent.enroll(token, 'agent-host', '0.1.0');
    expect(credential.tenant).toBe('amal');
    expect(await agent.sendReport(hostReport(credential.agentId), credential)).toMatchObject({ kind: 'accepted' });
    agent.close();
  });

  it('refuses a TLS client without a certificate before any request is read', async () => {
    const agent = await createCollectorClient({ url: collector.url, caFile, timeoutSeconds: 5 });
    await expect(agent.enroll('bve_whatever', 'h', '1')).rejects.toThrow();
    agent.close();
  });

  it('refuses an agent that does not trust the collector certificate', async () => {
    const agent = await createCollectorClient({ url: collector.url, clientCertFile: client.certFile, clientKeyFile: client.keyFile, timeoutSeconds: 5 });
    await expect(agent.enroll('bve_whatever', 'h', '1')).rejects.toThrow(/certif/i);
    agent.close();
  });
});
