/** One service's figures, summed over its topics. */
interface ServiceFigures {
  handled: number;
  retried: number;
  deadLettered: number;
  published: number;
}

const COLUMNS: readonly [keyof ServiceFigures, string, string][] = [
  ['handled', 'messaging_client_consumed_messages_total', 'messaging_consumer_group_name'],
  ['retried', 'streamwise_retries_total', 'messaging_consumer_group_name'],
  ['deadLettered', 'streamwise_dead_letters_total', 'messaging_consumer_group_name'],
  ['published', 'messaging_client_sent_messages_total', 'streamwise_service'],
];

/**
 * A short table per service from an app's GET /metrics text (Prometheus format): records
 * handled, retried, dead-lettered, and published. Each consumer group is a service.
 */
export function metricsSummary(text: string): string[] {
  const services = new Map<string, ServiceFigures>();
  for (const line of text.split('\n')) {
    const match = /^(\w+)\{(.*)\} (\S+)$/.exec(line);
    if (match === null) continue;
    const [, name, labels, value] = match;
    for (const [column, metric, label] of COLUMNS) {
      if (name !== metric) continue;
      const service = new RegExp(`${label}="([^"]*)"`).exec(labels)?.[1];
      if (service === undefined) continue;
      const figures = services.get(service) ?? {
        handled: 0,
        retried: 0,
        deadLettered: 0,
        published: 0,
      };
      figures[column] += Number(value);
      services.set(service, figures);
    }
  }
  const rows = [...services].sort(([a], [b]) => a.localeCompare(b));
  const width = Math.max(7, ...rows.map(([service]) => service.length));
  const row = (cells: readonly (string | number)[]): string =>
    `  ${String(cells[0]).padEnd(width)}  ${cells
      .slice(1)
      .map((cell, i) =>
        String(cell).padStart(['handled', 'retried', 'dead-lettered', 'published'][i].length),
      )
      .join('  ')}`;
  return [
    row(['service', 'handled', 'retried', 'dead-lettered', 'published']),
    ...rows.map(([service, f]) =>
      row([service, f.handled, f.retried, f.deadLettered, f.published]),
    ),
  ];
}
