import { agentCommand } from './agent.js';
import type { Command } from './command.js';
import { collectorCommand } from './collector.js';
import { demoCommand } from './demo.js';
import { enrollCommand } from './enroll.js';
import { findingsCommand } from './findings.js';
import { rulesCommand } from './rules.js';
import { scanCommand } from './scan.js';
import { schemaCommand } from './schema.js';
import { tenantCommand } from './tenant.js';
import { tokenCommand } from './token.js';

export const COMMANDS: readonly Command[] = [
  scanCommand,
  agentCommand,
  enrollCommand,
  collectorCommand,
  tenantCommand,
  tokenCommand,
  findingsCommand,
  rulesCommand,
  schemaCommand,
  demoCommand,
];
