import type { z } from 'zod';
import type { hostFacts } from '../../../../report/facts/host.js';

type Value<K extends keyof typeof hostFacts> = z.infer<(typeof hostFacts)[K]['value']>;

export type IdentityValue = Value<'identity'>;
export type OsValue = Value<'os'>;
export type HardwareValue = Value<'hardware'>;
export type PatchesValue = Value<'patches'>;
export type AntivirusValue = Value<'antivirus'>;
export type AntivirusProduct = AntivirusValue['products'][number];
export type FirewallValue = Value<'firewall'>;
export type FirewallProfile = FirewallValue['profiles'][number];
export type DiskEncryptionValue = Value<'diskEncryption'>;
export type EncryptedVolume = DiskEncryptionValue['volumes'][number];
export type ListeningServicesValue = Value<'listeningServices'>;
export type ListeningSocket = ListeningServicesValue['sockets'][number];
export type TimeSyncValue = Value<'timeSync'>;
export type LoggingValue = Value<'logging'>;
export type LocalAdminsValue = Value<'localAdmins'>;
export type LocalAdmin = LocalAdminsValue['accounts'][number];
export type DirectoryJoinValue = Value<'directoryJoin'>;
