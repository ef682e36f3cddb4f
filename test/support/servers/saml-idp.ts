import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { exited, stopProcessGroup } from './process-group.js';

/**
 * A real SAML identity provider: Debian's SimpleSAMLphp 1.19 under PHP's built-in server,
 * its own config in a temp dir (SIMPLESAMLPHP_CONFIG_DIR), the IdP and two service providers
 * of its own (TEST-SERVERS.md Part 2 §1). Their login URLs are business systems' login pages:
 *  - `redirectLoginUrl` (SP default-sp) sends the AuthnRequest with the HTTP-Redirect binding;
 *  - `postLoginUrl` (SP post-sp) knows the IdP only by an HTTP-POST SSO endpoint, so it
 *    answers with SimpleSAMLphp's auto-post form (HTTP-POST binding).
 */
export const SSP_WWW = '/usr/share/simplesamlphp/www';

export interface SamlIdp {
  base: string;
  /** The IdP's SSO endpoint (SingleSignOnService). */
  ssoUrl: string;
  entityId: string;
  redirectLoginUrl: string;
  postLoginUrl: string;
  /** Entity ids of the two service providers, as their AuthnRequests name them. */
  redirectSpEntityId: string;
  postSpEntityId: string;
  stop(): Promise<void>;
}

const CONFIG = `<?php
$base = getenv('SSP_BASEURL'); $dir = getenv('SSP_DIR');
$config = [
  'baseurlpath' => $base . '/', 'certdir' => "$dir/cert/", 'loggingdir' => "$dir/log/",
  'datadir' => "$dir/data/", 'tempdir' => "$dir/tmp", 'metadatadir' => "$dir/metadata/",
  'secretsalt' => 'test-salt', 'auth.adminpassword' => 'admin', 'technicalcontact_email' => 'na@example.org',
  'timezone' => 'UTC', 'enable.saml20-idp' => true,
  'module.enable' => ['exampleauth' => true, 'core' => true, 'saml' => true],
  'logging.handler' => 'stderr', 'logging.level' => SimpleSAML\\Logger::WARNING,
  'store.type' => 'phpsession', 'session.phpsession.savepath' => "$dir/tmp",
  'session.cookie.secure' => false, 'admin.checkforupdates' => false,
];
`;

const AUTHSOURCES = `<?php
$base = getenv('SSP_BASEURL');
$config = [
  'admin' => ['core:AdminPassword'],
  'default-sp' => ['saml:SP', 'entityID' => null, 'idp' => "$base/saml2/idp/metadata.php"],
  'post-sp' => ['saml:SP', 'entityID' => null, 'idp' => "$base/saml2/idp/metadata.php#post"],
  'example-userpass' => ['exampleauth:UserPass', 'student:studentpass' => ['uid' => ['student']]],
];
`;

const IDP_HOSTED = `<?php
$metadata['__DYNAMIC:1__'] = ['host' => '__DEFAULT__', 'privatekey' => 'idp.key', 'certificate' => 'idp.crt', 'auth' => 'example-userpass'];
`;

const IDP_REMOTE = `<?php
$base = getenv('SSP_BASEURL');
$metadata["$base/saml2/idp/metadata.php"] = ['SingleSignOnService' => "$base/saml2/idp/SSOService.php",
  'SingleLogoutService' => "$base/saml2/idp/SingleLogoutService.php", 'certificate' => 'idp.crt'];
$metadata["$base/saml2/idp/metadata.php#post"] = ['SingleSignOnService' => [[
    'Binding' => 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', 'Location' => "$base/saml2/idp/SSOService.php"]],
  'certificate' => 'idp.crt'];
`;

const SP_REMOTE = `<?php
$base = getenv('SSP_BASEURL');
foreach (['default-sp', 'post-sp'] as $sp) {
  $metadata["$base/module.php/saml/sp/metadata.php/$sp"] = [
    'AssertionConsumerService' => "$base/module.php/saml/sp/saml2-acs.php/$sp",
    'SingleLogoutService' => "$base/module.php/saml/sp/saml2-logout.php/$sp"];
}
`;

export async function startSamlIdp(): Promise<SamlIdp> {
  const dir = mkdtempSync(join(tmpdir(), 'basvakt-ssp-'));
  for (const sub of ['config', 'metadata', 'cert', 'log', 'data', 'tmp']) mkdirSync(join(dir, sub));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=test-idp', '-keyout', join(dir, 'cert/idp.key'), '-out', join(dir, 'cert/idp.crt')], { stdio: 'ignore' });
  writeFileSync(join(dir, 'config/config.php'), CONFIG);
  writeFileSync(join(dir, 'config/authsources.php'), AUTHSOURCES);
  writeFileSync(join(dir, 'metadata/saml20-idp-hosted.php'), IDP_HOSTED);
  writeFileSync(join(dir, 'metadata/saml20-idp-remote.php'), IDP_REMOTE);
  writeFileSync(join(dir, 'metadata/saml20-sp-remote.php'), SP_REMOTE);

  const port = await freePort();
  // 127.0.0.1, never localhost: SimpleSAMLphp's entity ids and cookies follow the base URL.
  const base = `http://127.0.0.1:${port}`;
  const child = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', SSP_WWW], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, SSP_BASEURL: base, SSP_DIR: dir, SIMPLESAMLPHP_CONFIG_DIR: join(dir, 'config') },
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
  const stop = async () => {
    await stopProcessGroup(child);
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const response = await fetch(`${base}/saml2/idp/metadata.php`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (exited(child) || Date.now() > deadline) {
      await stop();
      throw new Error(`SimpleSAMLphp did not start on ${base}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    base,
    ssoUrl: `${base}/saml2/idp/SSOService.php`,
    entityId: `${base}/saml2/idp/metadata.php`,
    redirectLoginUrl: `${base}/module.php/core/authenticate.php?as=default-sp`,
    postLoginUrl: `${base}/module.php/core/authenticate.php?as=post-sp`,
    redirectSpEntityId: `${base}/module.php/saml/sp/metadata.php/default-sp`,
    postSpEntityId: `${base}/module.php/saml/sp/metadata.php/post-sp`,
    stop,
  };
}
