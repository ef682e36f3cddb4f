import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../../common/logger.js';
import { VERSION } from '../../common/version.js';
import { createApiToken, createEnrollmentToken } from '../../collector/services/enrollment.js';
import { openStore } from '../../collector/store/index.js';
import { createHostProbe } from '../../agent/probes/host/index.js';
import { Spool } from '../../agent/spool/index.js';
import { CollectorClient, writeCredential } from '../../agent/transport/index.js';
import { createProbeContext, scanOnce, Sender } from '../../agent/runtime/index.js';
import type { PresentedFinding } from '../../collector/services/findings.js';
import { BUNDLED_RULE_DIRS, loadRules } from '../../rules/engine/index.js';
import { stringOption } from '../args.js';
import type { Lang } from '../i18n.js';
import { renderFindingsTable } from '../format/findings.js';
import { ruleTextLookup } from '../local-evaluation.js';
import type { Command } from './command.js';
import { COMMAND_SUMMARIES } from './catalogue.js';
import { parseOrHelp } from './shared.js';
import { ensureDemoUser } from './demo-user.js';

const TENANT = 'demo';

function say(lang: Lang, sv: string, en: string): void {
  process.stderr.write(`${lang === 'sv' ? sv : en}\n`);
}

/** Starts `basvakt collector` as its own process and resolves with its URL. */
function startCollectorProcess(configFile: string, logFile: string): Promise<{ child: ChildProcess; url: string }> {
  const cli = fileURLToPath(new URL('../main.js', import.meta.url));
  const child = spawn(process.execPath, [cli, 'collector', '--config', configFile], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, BASVAKT_LANG: 'en' } });
  return new Promise((resolvePromise, reject) => {
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`the collector did not start within 20 s:\n${stderr}`)), 20_000);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
      void writeFile(logFile, stderr);
      const match = /Collector listening on (\S+)/.exec(stderr);
      if (match?.[1]) {
        clearTimeout(timer);
        resolvePromise({ child, url: match[1] });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the collector exited with code ${code}:\n${stderr}`));
    });
  });
}

export const demoCommand: Command = {
  spec: {
    name: 'demo',
    summary: COMMAND_SUMMARIES.demo,
    usage: 'basvakt demo [--dir MAPP] [--keep-running]',
    options: {
      dir: { type: 'string', value: 'MAPP', help: { sv: 'arbetsmapp för databas, konfiguration och kö (standard .basvakt/demo)', en: 'working folder (default .basvakt/demo)' } },
      'keep-running': { type: 'boolean', help: { sv: 'låt insamlaren fortsätta köra efteråt (avsluta med Ctrl-C)', en: 'keep the collector running afterwards (Ctrl-C to stop)' } },
      all: { type: 'boolean', help: { sv: 'visa även godkända resultat', en: 'also list passing results' } },
    },
  },
  async run(argv, lang) {
    const parsed = parseOrHelp(this.spec, argv, lang);
    if (!parsed) return 0;
    const dir = resolve(stringOption(parsed.values, 'dir') ?? '.basvakt/demo');
    await mkdir(dir, { recursive: true, mode: 0o750 });
    const collectorConfig = join(dir, 'collector.yaml');
    await writeFile(collectorConfig, `listen: { host: 127.0.0.1, port: 0 }\ndatabase: { driver: sqlite, path: collector.db }\nlog: { level: warn }\n`);

    say(lang, `1/5 Förbereder insamlaren (SQLite i ${dir}/collector.db) …`, `1/5 Preparing the collector (SQLite in ${dir}/collector.db) …`);
    const store = await openStore({ driver: 'sqlite', path: join(dir, 'collector.db') });
    let enrollment: string;
    let apiToken: string;
    let dashboardUser: { username: string; passwordFile: string };
    try {
      if (!(await store.getTenant(TENANT))) await store.createTenant(TENANT, 'Demokommun', new Date());
      enrollment = (await createEnrollmentToken(store, { tenantId: TENANT, maxUses: 1, validForHours: 1, actor: 'cli:demo' })).token;
      apiToken = (await createApiToken(store, { tenantId: TENANT, role: 'reader', actor: 'cli:demo' })).token;
      dashboardUser = await ensureDemoUser(store, dir, TENANT, new Date());
    } finally {
      await store.close();
    }

    say(lang, '2/5 Startar insamlaren på 127.0.0.1 …', '2/5 Starting the collector on 127.0.0.1 …');
    const { child, url } = await startCollectorProcess(collectorConfig, join(dir, 'collector.log'));
    try {
      say(lang, `3/5 Ansluter en agent till ${url} …`, `3/5 Enrolling an agent at ${url} …`);
      const client = new CollectorClient({ url, timeoutMs: 30_000 });
      const credential = await client.enroll(enrollment, hostname(), VERSION);
      await writeCredential(join(dir, 'agent-credential.json'), credential);

      say(lang, '4/5 Skannar den här datorn och skickar rapporten …', '4/5 Scanning this machine and sending the report …');
      const logger = createLogger({ level: 'warn' });
      const report = await scanOnce([createHostProbe()], createProbeContext(logger), { agentId: credential.agentId, version: VERSION, hostname: hostname() });
      const spool = await Spool.open({ directory: join(dir, 'spool'), maxBytes: 50 * 1024 * 1024, maxReports: 1000, logger });
      await spool.put(report);
      const round = await new Sender({ spool, client, credential: async () => credential, logger }).drain();
      client.close();
      if (round.delivered < 1) throw new Error(`the report was not delivered (${round.outcome}); it waits in ${dir}/spool`);

      say(lang, '5/5 Hämtar resultaten från insamlaren …\n', '5/5 Fetching the findings from the collector …\n');
      const response = await fetch(`${url}/api/v1/findings`, { headers: { authorization: `Bearer ${apiToken}` } });
      if (!response.ok) throw new Error(`GET /api/v1/findings answered ${response.status}`);
      const { findings } = (await response.json()) as { findings: PresentedFinding[] };
      const ruleSet = await loadRules(BUNDLED_RULE_DIRS);
      const heading = lang === 'sv' ? `Resultat för Demokommun — ${hostname()}, ${report.createdAt}` : `Findings for Demokommun — ${hostname()}, ${report.createdAt}`;
      process.stdout.write(renderFindingsTable({ findings, heading, showPassing: Boolean(parsed.values.all), ...ruleTextLookup(ruleSet) }, lang));
      process.stdout.write(nextSteps(lang, dir, collectorConfig));
      const dashboard = `${url}/t/${TENANT}`;
      process.stdout.write(
        lang === 'sv'
          ? `\nInstrumentpanelen: ${dashboard}\n  Logga in som ${dashboardUser.username} med lösenordet i ${dashboardUser.passwordFile}\n`
          : `\nDashboard: ${dashboard}?lang=en\n  Log in as ${dashboardUser.username} with the password in ${dashboardUser.passwordFile}\n`,
      );
      if (parsed.values['keep-running']) {
        say(lang, `Insamlaren kör på ${url}. Avsluta med Ctrl-C.`, `The collector runs at ${url}. Stop with Ctrl-C.`);
        await new Promise<void>((r) => process.once('SIGINT', () => r()));
      }
      return 0;
    } finally {
      child.kill('SIGTERM');
    }
  },
};

function nextSteps(lang: Lang, dir: string, config: string): string {
  if (lang === 'en') {
    return `
What to do next
  • Fix the failing findings above, worst first; each has a "Fix" line. Unknown means basvakt could not
    see the fact (the reason is shown) — that is not a pass: give the agent the access it needs.
  • Everything is stored in ${dir}/collector.db. See it again:  basvakt findings --config ${config} --tenant ${TENANT}
  • Scan without a collector:  basvakt scan --evaluate     (JSON: --format json)
  • Real deployment: README.md, "Installera på en kommunal server"; systemd units in config/.
  • The dashboard and the PDF report stay reachable only while the collector runs: basvakt demo --keep-running
`;
  }
  return `
Vad du gör nu
  • Åtgärda de underkända resultaten ovan, allvarligast först; varje resultat har en rad "Åtgärd".
    Okänd betyder att basvakt inte kunde se uppgiften (orsaken står) — det räknas aldrig som godkänt:
    ge agenten den åtkomst den behöver.
  • Allt sparas i ${dir}/collector.db. Visa igen:  basvakt findings --config ${config} --tenant ${TENANT}
  • Skanna utan insamlare:  basvakt scan --evaluate     (som JSON: --format json)
  • Riktig installation: README.md, "Installera på en kommunal server"; systemd-enheter i config/.
  • Instrumentpanelen och PDF-rapporten nås bara medan insamlaren kör: basvakt demo --keep-running
    (eller bash scripts/demo.sh --keep-running); logga in, läs läget per mål och ladda ned rapporten under Rapporter.
`;
}
