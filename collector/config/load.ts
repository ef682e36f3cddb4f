import { dirname, resolve } from 'node:path';
import { loadYamlFile } from '../../common/yaml.js';
import { resolveAlertPaths } from '../alerts/config.js';
import { collectorConfigSchema, type CollectorConfig } from './schema.js';

/** Loads a collector config; relative paths are taken from the config file's folder. */
export async function loadCollectorConfig(file: string): Promise<CollectorConfig> {
  const config = await loadYamlFile(file, collectorConfigSchema);
  const base = dirname(resolve(file));
  const at = (p: string) => (p === ':memory:' ? p : resolve(base, p));
  return {
    ...config,
    database:
      config.database.driver === 'sqlite'
        ? { ...config.database, path: at(config.database.path) }
        : { ...config.database, passwordFile: config.database.passwordFile ? at(config.database.passwordFile) : undefined, caFile: config.database.caFile ? at(config.database.caFile) : undefined },
    tls: config.tls
      ? { ...config.tls, certFile: at(config.tls.certFile), keyFile: at(config.tls.keyFile), clientCaFile: config.tls.clientCaFile ? at(config.tls.clientCaFile) : undefined }
      : undefined,
    auth: { ...config.auth, ldap: config.auth.ldap.map((l) => ({ ...l, caFile: l.caFile ? at(l.caFile) : undefined })) },
    rules: { directories: config.rules.directories.map(at) },
    alerts: config.alerts ? resolveAlertPaths(config.alerts, at) : undefined,
  };
}

export function defaultCollectorConfig(overrides: Partial<CollectorConfig> = {}): CollectorConfig {
  return { ...collectorConfigSchema.parse({}), ...overrides };
}
