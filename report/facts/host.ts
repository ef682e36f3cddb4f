import { z } from 'zod';
import { nullableText, shortText, text, timestamp } from '../common.js';
import type { FactSpecs } from './spec.js';

/**
 * Facts an agent reports about a host. Each entry is a table spec in the osquery sense:
 * the name, what it means, and the exact shape of its value. Verdicts (is this OS past
 * end of life, is this signature too old) belong to the rules, not here.
 */
export const hostFacts = {
  identity: {
    description: { sv: 'Värdnamn, maskin-id och adresser', en: 'Host name, machine id and addresses' },
    value: z.strictObject({
      hostname: shortText,
      fqdn: nullableText,
      machineId: nullableText,
      addresses: z.array(shortText).max(256),
    }),
  },
  os: {
    description: { sv: 'Operativsystem och version', en: 'Operating system and version' },
    value: z.strictObject({
      platform: z.enum(['linux', 'windows', 'darwin', 'other']),
      /** os-release ID (debian, ubuntu, rhel, …) or "windows". */
      id: shortText,
      name: shortText,
      /** os-release VERSION_ID, or the Windows version number such as 10.0.19045. */
      version: shortText,
      build: nullableText,
      edition: nullableText,
      kernel: nullableText,
      arch: nullableText,
      isServer: z.boolean().nullable(),
    }),
  },
  hardware: {
    description: { sv: 'Maskintyp (bärbar, stationär, server, virtuell)', en: 'Kind of machine (laptop, desktop, server, virtual)' },
    value: z.strictObject({
      chassis: z.enum(['laptop', 'desktop', 'server', 'virtual-machine', 'container', 'other', 'unknown']),
      manufacturer: nullableText,
      model: nullableText,
      virtual: z.boolean().nullable(),
    }),
  },
  patches: {
    description: { sv: 'Väntande säkerhetsuppdateringar', en: 'Pending security updates' },
    value: z.strictObject({
      manager: z.enum(['apt', 'dnf', 'yum', 'zypper', 'windows-update']),
      pendingSecurity: z.number().int().nonnegative(),
      pendingTotal: z.number().int().nonnegative(),
      /** Names of the pending security updates (packages or KB numbers), at most 500. */
      securityUpdates: z.array(shortText).max(500),
      /** When the package index was last refreshed or Windows Update last checked. */
      lastRefresh: timestamp.nullable(),
      /** When an update was last installed. */
      lastInstalled: timestamp.nullable(),
    }),
  },
  antivirus: {
    description: { sv: 'Virusskydd: produkter, status och signaturålder', en: 'Anti-virus: products, state and signature age' },
    value: z.strictObject({
      products: z
        .array(
          z.strictObject({
            name: shortText,
            /** Where the observation came from: clamav, defender (MSFT_MpComputerStatus), securitycenter (SecurityCenter2). */
            kind: z.enum(['clamav', 'defender', 'securitycenter', 'other']),
            installed: z.boolean(),
            running: z.boolean().nullable(),
            realTimeProtection: z.boolean().nullable(),
            signatureVersion: nullableText,
            signatureDate: timestamp.nullable(),
            /** Age of the signatures when the fact was collected, in days. */
            signatureAgeDays: z.number().nonnegative().nullable(),
            /** The product's own verdict on its signatures, where that is all it tells (Windows Security Center); null elsewhere. */
            signaturesUpToDate: z.boolean().nullable(),
            /** Defender AMRunningMode (Normal, Passive Mode, EDR Block Mode, …). */
            mode: nullableText,
          }),
        )
        .max(32),
    }),
  },
  firewall: {
    description: { sv: 'Värdbrandvägg', en: 'Host firewall' },
    value: z.strictObject({
      backends: z
        .array(
          z.strictObject({
            name: z.enum(['nftables', 'iptables', 'ufw', 'firewalld', 'windows']),
            /** A filtering ruleset is loaded and enforced on incoming traffic. */
            active: z.boolean(),
            ruleCount: z.number().int().nonnegative().nullable(),
            inputPolicy: z.enum(['accept', 'drop', 'reject']).nullable(),
          }),
        )
        .max(16),
      /** Windows firewall profiles (Domain, Private, Public). Empty elsewhere. */
      profiles: z
        .array(z.strictObject({ name: shortText, enabled: z.boolean(), defaultInboundAction: nullableText }))
        .max(8),
    }),
  },
  diskEncryption: {
    description: { sv: 'Diskkryptering', en: 'Disk encryption' },
    value: z.strictObject({
      volumes: z
        .array(
          z.strictObject({
            device: shortText,
            mountpoint: nullableText,
            encrypted: z.boolean(),
            method: z.enum(['luks', 'bitlocker', 'other']).nullable(),
            /** BitLocker ProtectionStatus on; null where the method has no such notion. */
            protectionOn: z.boolean().nullable(),
          }),
        )
        .max(256),
    }),
  },
  listeningServices: {
    description: { sv: 'Lyssnande nätverkstjänster', en: 'Listening network services' },
    value: z.strictObject({
      sockets: z
        .array(
          z.strictObject({
            protocol: z.enum(['tcp', 'udp']),
            address: shortText,
            port: z.number().int().min(0).max(65535),
            process: nullableText,
            pid: z.number().int().nonnegative().nullable(),
            /** Well-known service on that port (report/well-known-ports.ts), if any. */
            service: nullableText,
            /** The protocol carries credentials or data unencrypted (telnet, ftp, ldap, …). */
            cleartext: z.boolean(),
            loopbackOnly: z.boolean(),
          }),
        )
        .max(5000),
    }),
  },
  timeSync: {
    description: { sv: 'Tidssynkronisering', en: 'Time synchronisation' },
    value: z.strictObject({
      service: z.enum(['chrony', 'systemd-timesyncd', 'ntpd', 'w32time', 'none']),
      synchronized: z.boolean().nullable(),
      offsetSeconds: z.number().nullable(),
      source: nullableText,
      stratum: z.number().int().nullable(),
    }),
  },
  logging: {
    description: { sv: 'Loggning och vidarebefordran av loggar', en: 'Logging and log forwarding' },
    value: z.strictObject({
      daemons: z
        .array(
          z.strictObject({
            name: z.enum(['journald', 'rsyslog', 'syslog-ng', 'auditd', 'eventlog']),
            running: z.boolean(),
          }),
        )
        .max(16),
      /** Remote destinations the local logs are forwarded to (rsyslog @@host:port, syslog-ng, WEF). */
      forwardTargets: z.array(shortText).max(64),
      /** auditd running with rules loaded, or a Windows audit policy that records logons. */
      auditEnabled: z.boolean().nullable(),
    }),
  },
  localAdmins: {
    description: { sv: 'Lokala administratörskonton', en: 'Local administrator accounts' },
    value: z.strictObject({
      accounts: z
        .array(
          z.strictObject({
            name: shortText,
            /** local: defined on this host; domain: from a directory (DOMAIN\name, sssd). */
            origin: z.enum(['local', 'domain']),
            /** How the account gets administrator rights: uid0, or the group name (sudo, wheel, Administrators). */
            via: shortText,
            enabled: z.boolean().nullable(),
          }),
        )
        .max(1000),
    }),
  },
  directoryJoin: {
    description: { sv: 'Anslutning till katalogtjänst (domän)', en: 'Directory (domain) membership' },
    value: z.strictObject({
      joined: z.boolean(),
      method: z.enum(['sssd', 'winbind', 'realmd', 'windows-domain']).nullable(),
      domain: nullableText,
    }),
  },
  smbServer: {
    description: { sv: 'SMB-servern (fildelning): krav på signering och SMBv1', en: 'The SMB (file sharing) server: signing required and SMBv1' },
    value: z.strictObject({
      /** windows: the Server service (Get-SmbServerConfiguration); samba: smbd's effective configuration (testparm). */
      server: z.enum(['windows', 'samba']),
      /** Clients must sign: RequireSecuritySignature; Samba server signing = mandatory, or default on an AD domain controller. */
      signingRequired: z.boolean(),
      /** SMB1 accepted: EnableSMB1Protocol; Samba server min protocol NT1 or older. */
      smb1Enabled: z.boolean(),
      /** The settings as read, by their own names ("server signing": "default", RequireSecuritySignature: "true"). */
      settings: z.record(z.string().max(64), shortText).refine((map) => Object.keys(map).length <= 16, 'at most 16 settings'),
    }),
  },
  agentSpool: {
    description: {
      sv: 'Agentens kö på disk: rapporter som inte kunde sparas (full disk eller spoolens gräns) sedan insamlaren senast fick veta det',
      en: "The agent's on-disk spool: reports that could not be kept (disk full or the spool's bound) since the collector last heard of it",
    },
    value: z.strictObject({
      /**
       * ok: no report refused since the last delivered report said so; dropped: reports were
       * refused and lost; none: no spool at all (a one-shot `basvakt scan`).
       */
      status: z.enum(['ok', 'dropped', 'none']),
      /** Reports refused since the collector last received this fact. */
      droppedReports: z.number().int().nonnegative(),
      /** Reports refused since the spool was created; only grows, so a lost report cannot hide drops. */
      droppedTotal: z.number().int().nonnegative(),
      oldestDroppedAt: timestamp.nullable(),
      lastDroppedAt: timestamp.nullable(),
      /** The agent's message for the last refused report (disk full, spool.maxReports, spool.maxBytes). */
      lastError: text.nullable(),
      pendingReports: z.number().int().nonnegative().nullable(),
      maxReports: z.number().int().positive().nullable(),
      bytesUsed: z.number().int().nonnegative().nullable(),
      maxBytes: z.number().int().positive().nullable(),
    }),
  },
} as const satisfies FactSpecs;

/** The value type of a host fact, as the schema above defines it; probes produce exactly this. */
export type HostFactValue<K extends keyof typeof hostFacts> = z.infer<(typeof hostFacts)[K]['value']>;
