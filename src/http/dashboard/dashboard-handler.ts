import cluster from 'node:cluster';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '../../errors/gateway-error.js';
import type { GatewayServices } from '../gateway-services.js';
import { sendError } from '../send.js';
import { DASHBOARD_CSP, DASHBOARD_HTML } from './dashboard-page.js';

const PAGE = Buffer.from(DASHBOARD_HTML, 'utf8');
/** Lets the page tell a restarted worker from the one it replaced. */
const STARTED_AT = Math.round(performance.timeOrigin);

function metricsOff(res: ServerResponse): void {
  sendError(res, 'openai', new GatewayError('caller_not_found', 'The dashboard needs metrics (metrics.enabled: false)'));
}

/** `GET /dashboard`: the self-contained page, which polls `GET /dashboard/data`. */
export function handleDashboard(services: GatewayServices, req: IncomingMessage, res: ServerResponse): void {
  if (services.metrics === undefined) return metricsOff(res);
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': PAGE.length,
    'cache-control': 'no-cache',
    'content-security-policy': DASHBOARD_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  res.end(req.method === 'HEAD' ? undefined : PAGE);
}

/**
 * `GET /dashboard/data`: this process's per-minute aggregates and circuit states. Under cluster
 * workers the connection is closed after each answer, so successive polls reach other workers and
 * the page can add them up.
 */
export function handleDashboardData(services: GatewayServices, _req: IncomingMessage, res: ServerResponse): void {
  const metrics = services.metrics;
  if (metrics === undefined) return metricsOff(res);
  const body = JSON.stringify({
    version: 1,
    source: { pid: process.pid, started_at: STARTED_AT },
    now: Date.now(),
    artifact_version: services.artifactVersion(),
    catalog_snapshot: services.catalog.snapshotDate,
    ...metrics.timeline.snapshot(),
    circuits: metrics.circuitStates(),
  });
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...(cluster.isWorker ? { connection: 'close' } : {}),
  });
  res.end(body);
}
