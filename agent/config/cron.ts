import cron from 'node-cron';

const FIELD_NAMES: Record<string, string> = {
  second: 'sekund',
  minute: 'minut (0–59)',
  hour: 'timme (0–23)',
  dayOfMonth: 'dag i månaden (1–31)',
  month: 'månad (1–12 eller jan–dec)',
  dayOfWeek: 'veckodag (0–7 eller sun–sat)',
};

const FIVE_FIELDS = 'förväntade fem fält (minut timme dag-i-månaden månad veckodag)';
const EXAMPLE = 't.ex. "*/30 * * * *" = var 30:e minut';

/**
 * Checks a five-field cron expression with node-cron's own parser, so that what the
 * config accepts is exactly what the scheduler can run. Returns a Swedish description
 * of what is wrong, or undefined when the expression is valid. Six-field expressions
 * (with seconds) are refused: no probe should run more than once a minute.
 */
export function cronProblem(expression: string): string | undefined {
  const quoted = `'${expression}'`;
  const fields = expression.trim().split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) {
    return `ogiltigt cron-uttryck ${quoted} — ${FIVE_FIELDS}, fick ${fields.length}; ${EXAMPLE} (invalid cron expression: expected five fields)`;
  }
  const result = cron.validateDetailed(expression);
  if (result.valid && cron.validate(expression)) return undefined;
  const details = result.errors
    .map((e) => (FIELD_NAMES[e.field] ? `fältet ${FIELD_NAMES[e.field]} kan inte vara '${e.value ?? ''}'` : e.message))
    .join('; ');
  return `ogiltigt cron-uttryck ${quoted} — ${details || FIVE_FIELDS} (invalid cron expression)`;
}
