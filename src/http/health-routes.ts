import type { FastifyInstance } from 'fastify';

import type { ReadinessProvider } from './readiness-provider';
import { readinessReport } from './readiness-report';
import { sendJson } from './send-reply';

export const HEALTH_ROUTES = [
  { httpMethod: 'GET', path: '/health/live' },
  { httpMethod: 'GET', path: '/health/ready' },
] as const;

/** Liveness (the process answers) and readiness (caught up, see readinessReport). */
export function registerHealthRoutes(app: FastifyInstance, readiness: ReadinessProvider): void {
  app.get('/health/live', async (_request, reply) => {
    sendJson(reply, 200, { status: 'live' });
    return reply;
  });
  app.get('/health/ready', async (_request, reply) => {
    const report = await readinessReport(readiness);
    sendJson(reply, report.status, report.body);
    return reply;
  });
}
