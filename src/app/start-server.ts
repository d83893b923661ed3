import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config/config-schema.js';
import { ConfigStore } from '../config/config-store.js';
import { loadConfig, type LoadConfigOptions } from '../config/load-config.js';
import { watchConfigFile, type ConfigFileWatcher } from '../config/watch-config-file.js';
import { LiveList } from '../http/live-list.js';
import { admitPerTurn } from '../http/turn-admission.js';
import { createGateway, type Gateway, type GatewayOptions } from './create-gateway.js';

/** Options of {@link startServer}. */
export interface StartServerOptions extends GatewayOptions {
  readonly config: Config;
  /** Where `config` came from: watched and reloaded on change (with the same environment and overrides). */
  readonly reload?: LoadConfigOptions;
  /**
   * Warm up before listening (default false: listen, then warm up while `/ready` answers 503). For
   * a worker that shares its port with others: `/ready` on a shared port reaches any worker, so it
   * cannot hold traffic off one that is still warming, and the cluster primary deals connections to
   * a worker as soon as it listens.
   */
  readonly warmBeforeListen?: boolean;
}

/** A listening gateway. */
export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly gateway: Gateway;
  readonly server: Server;
  /** Refuses new work, waits for in-flight requests (up to `server.shutdown_grace`), then releases everything. */
  shutdown(): Promise<void>;
}

/**
 * Starts one gateway process: builds the gateway, listens, then warms the hot path; `/ready`
 * answers 200 only after the warm-up (with `warmBeforeListen`, it listens once warm). A watched
 * config file is reloaded into the running gateway.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { config, reload, warmBeforeListen = false, ...gatewayOptions } = options;
  const gateway = await createGateway(config, gatewayOptions);
  const log = gateway.log;
  // In-flight responses, for the drain at shutdown: a LiveList, not a Set (see LiveList).
  const active = new LiveList<ServerResponse>();
  let drained: (() => void) | undefined;
  const handle = admitPerTurn(() => gateway.services.config().server.max_requests_per_turn, gateway.handler);
  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => {
    const entry = active.add(res);
    res.once('close', () => {
      active.delete(entry);
      if (active.size === 0) drained?.();
    });
    handle(req, res);
  });
  // Long generations outlive node's default socket timeouts; the gateway enforces its own deadline.
  server.headersTimeout = 60_000;
  // The warm-up sends its requests to a private listener of its own, so it needs no port here.
  if (warmBeforeListen) await gateway.warmUp();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.server.port, config.server.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = config.server.host === '0.0.0.0' || config.server.host === '::' ? '127.0.0.1' : config.server.host;
  log.info({ host: config.server.host, port, artifact: gateway.routing.state().version }, 'listening');
  if (!warmBeforeListen) setImmediate(() => void gateway.warmUp());

  let watcher: ConfigFileWatcher | undefined;
  if (reload?.path !== undefined) {
    const store = new ConfigStore({ load: () => loadConfig(reload), logger: (e) => log[e.level]({ ...(e.error ? { err: e.error.message } : {}) }, e.message) });
    store.subscribe((next) => {
      try {
        gateway.applyConfig(next);
        log.info('configuration applied');
      } catch (err) {
        log.error({ err: (err as Error).message }, 'new configuration rejected; keeping the previous one');
      }
    });
    watcher = watchConfigFile(store, reload.path);
  }

  let closing: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    closing ??= (async () => {
      log.info({ inFlight: active.size }, 'shutting down: draining in-flight requests');
      gateway.startDraining();
      // Responses still to come tell their clients not to reuse the connection.
      for (const res of active.values()) if (!res.headersSent) res.setHeader('connection', 'close');
      watcher?.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (active.size > 0) {
        await new Promise<void>((resolve) => {
          drained = resolve;
          setTimeout(resolve, config.server.shutdown_grace).unref();
        });
      }
      server.closeAllConnections();
      await closed;
      await gateway.close();
      log.info('stopped');
      log.flush();
    })();
    return closing;
  };
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, port, gateway, server, shutdown };
}
