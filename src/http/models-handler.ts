import type { ServerResponse } from 'node:http';
import type { GatewayServices } from './gateway-services.js';
import { sendJson } from './send.js';

/** Unix seconds of the catalog snapshot date (the list needs a `created`; it is when prices were checked). */
function snapshotSeconds(date: string): number {
  const ms = Date.parse(`${date}T00:00:00Z`);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

/**
 * `GET /v1/models`: the route aliases and every catalog model that is not retired, in a shape both
 * SDKs read: OpenAI's `{object: 'list', data: [{id, object, created, owned_by}]}` plus Anthropic's
 * `type`, `display_name`, `created_at`, `has_more`, `first_id`, `last_id`.
 */
export function handleModels(services: GatewayServices, res: ServerResponse): void {
  const created = snapshotSeconds(services.catalog.snapshotDate);
  const createdAt = new Date(created * 1000).toISOString();
  const data: Record<string, unknown>[] = [];
  for (const alias of services.aliases()) {
    data.push({ id: alias, object: 'model', type: 'model', created, created_at: createdAt, owned_by: 'heimdall', display_name: `Heimdall route: ${alias}` });
  }
  for (const m of services.catalog.list()) {
    if (m.status === 'retired') continue;
    data.push({
      id: m.id,
      object: 'model',
      type: 'model',
      created,
      created_at: createdAt,
      owned_by: m.provider,
      display_name: m.displayName,
      context_window: m.contextWindowTokens,
    });
  }
  const first = data[0]?.['id'];
  const last = data[data.length - 1]?.['id'];
  sendJson(res, 200, { object: 'list', data, has_more: false, first_id: first ?? null, last_id: last ?? null });
}
