import { it } from 'vitest';
import { lintRules, BUNDLED_RULE_DIRS } from '../../rules/engine/index.js';
it('scratch', async () => {
  const report = await lintRules(BUNDLED_RULE_DIRS);
  for (const p of report.problems) console.log("PROBLEM", p.severity, p.file.replace(process.cwd() + '/', ''), p.line, p.field, p.message);
  console.log(`rules ${report.rules} files ${report.files} errors ${report.errors} warnings ${report.warnings} tests ${report.tests.passed}/${report.tests.cases.length}`);
  for (const c of report.tests.cases) if (!c.ok || process.env.ALL) console.log(c.ok ? 'ok ' : 'BAD', c.ruleId, c.caseName, c.actual, c.reason ?? '', JSON.stringify(c.subjects), c.problem ?? '');
});
