/** Counters for the Prometheus text endpoint; totals only, never per-tenant labels. */
export class Metrics {
  private readonly ingest = new Map<string, number>();
  private ingestMsSum = 0;
  private ingestCount = 0;

  observeIngest(outcome: string, ms: number): void {
    this.ingest.set(outcome, (this.ingest.get(outcome) ?? 0) + 1);
    this.ingestMsSum += ms;
    this.ingestCount += 1;
  }

  render(gauges: Record<string, { help: string; value: number }>): string {
    const lines = ['# HELP basvakt_ingest_total Reports received, by outcome.', '# TYPE basvakt_ingest_total counter'];
    for (const [outcome, n] of this.ingest) lines.push(`basvakt_ingest_total{outcome="${outcome}"} ${n}`);
    lines.push(
      '# HELP basvakt_ingest_duration_seconds Time to validate, evaluate and store a report.',
      '# TYPE basvakt_ingest_duration_seconds summary',
      `basvakt_ingest_duration_seconds_sum ${(this.ingestMsSum / 1000).toFixed(6)}`,
      `basvakt_ingest_duration_seconds_count ${this.ingestCount}`,
    );
    for (const [name, g] of Object.entries(gauges)) lines.push(`# HELP ${name} ${g.help}`, `# TYPE ${name} gauge`, `${name} ${g.value}`);
    return lines.join('\n') + '\n';
  }
}
