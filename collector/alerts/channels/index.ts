import { readFile } from 'node:fs/promises';
import type { AlertChannelConfig } from '../config.js';
import type { AlertChannel } from './channel.js';
import { createEmailChannel } from './email.js';
import { createSyslogChannel } from './syslog.js';
import { createWebhookChannel } from './webhook.js';

export type { AlertChannel } from './channel.js';

/** Reads a secret from its file; the trailing newline an editor adds is not part of it. */
async function readSecret(file: string, what: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`${what}: kan inte läsa ${file} (cannot read the file): ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const secret = text.replace(/\r?\n$/, '');
  if (secret.length === 0) throw new Error(`${what}: ${file} är tom (the file is empty)`);
  return secret;
}

async function readCa(file: string | undefined): Promise<Buffer | undefined> {
  return file ? readFile(file) : undefined;
}

/** Builds the configured channels, reading their secrets and CA files once at start. Times in texts are shown in `timeZone`. */
export async function createChannels(configs: readonly AlertChannelConfig[], timeZone?: string): Promise<Map<string, AlertChannel>> {
  const options = { timeZone };
  const channels = new Map<string, AlertChannel>();
  for (const config of configs) {
    const what = `alerts.channels ${config.id}`;
    switch (config.kind) {
      case 'webhook':
        channels.set(config.id, createWebhookChannel(config, { secret: await readSecret(config.secretFile, `${what} secretFile`), ca: await readCa(config.caFile) }, options));
        break;
      case 'email':
        channels.set(
          config.id,
          createEmailChannel(config, {
            password: config.passwordFile ? await readSecret(config.passwordFile, `${what} passwordFile`) : undefined,
            ca: await readCa(config.caFile),
          }, options),
        );
        break;
      case 'syslog':
        channels.set(config.id, createSyslogChannel(config, { ca: await readCa(config.caFile) }, options));
        break;
    }
  }
  return channels;
}
