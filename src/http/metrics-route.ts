import type { FastifyInstance } from 'fastify';

export const METRICS_ROUTE = { httpMethod: 'GET', path: '/metrics' } as const;

/** Where GET /metrics reads the metrics from, already in the Prometheus text format. */
export type MetricsSource = () => Promise<string>;

/** The Prometheus text exposition format, version 0.0.4 (what every scraper accepts). */
const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';

/** GET /metrics: the app's metrics for a Prometheus scrape. */
export function registerMetricsRoute(app: FastifyInstance, source: MetricsSource): void {
  app.get(METRICS_ROUTE.path, async (_request, reply) => {
    const text = await source();
    reply.code(200).header('content-type', PROMETHEUS_TEXT).send(text);
    return reply;
  });
}
