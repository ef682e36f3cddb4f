import { PYTHON } from '../../../support/servers/smtp.js';
import { spawnListening } from '../../../support/servers/https.js';
import { freePort } from '../../../support/servers/ports.js';
import { stopProcessGroup } from '../../../support/servers/process-group.js';

export type SmtpMode = 'plain' | 'starttls' | 'implicit';

export interface RunningSmtp {
  port: number;
  stop(): Promise<void>;
}

/**
 * aiosmtpd from its command line (Debian's python3-aiosmtpd): no TLS, STARTTLS (--tlscert;
 * the server then requires it) or SMTPS from the first byte (--smtpscert). Ready when the
 * port accepts connections.
 */
export async function startAiosmtpd(mode: SmtpMode, cert: { certFile: string; keyFile: string }): Promise<RunningSmtp> {
  const port = await freePort();
  const tls = mode === 'starttls' ? ['--tlscert', cert.certFile, '--tlskey', cert.keyFile] : mode === 'implicit' ? ['--smtpscert', cert.certFile, '--smtpskey', cert.keyFile] : [];
  // -n: as root aiosmtpd would otherwise setuid to nobody.
  const child = await spawnListening(`aiosmtpd (${mode})`, PYTHON, ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'aiosmtpd.handlers.Sink', ...tls], port);
  return { port, stop: () => stopProcessGroup(child) };
}
