import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import { openChannelSqlDriver } from '../channel-sql-driver.js';
import { openStore } from '../open-store.js';
import type { Store } from '../store.js';
import { startLoopbackStoreHost, type LoopbackStoreHost } from './loopback-store-host.js';
import { postgresAvailable, startTestPostgres, type TestPostgres } from './test-postgres.js';

const TABLES = ['feedback', 'decisions', 'artifact_activations', 'artifacts', 'catalog_models', 'catalog_refreshes', 'catalog_changes', 'sessions'];

/** Handle a suite uses to reach the store of the current test. */
export interface StoreHandle {
  readonly store: Store;
  readonly url: string;
  /** Opens a second store on the same database (another replica, or the CLI). */
  openAnother(): Promise<Store>;
}

/**
 * Runs `suite` three times: against SQLite in a temp dir, against the same through a store host (a
 * cluster worker's store, its connection in the primary; another store is another worker), and
 * against a real PostgreSQL. Each test gets an empty database. PostgreSQL is skipped with a message only when its binaries are missing and the
 * run is not CI (on CI, `.ci/install-system-deps` installs them, so a missing server fails).
 */
export function describeEachStore(name: string, suite: (handle: () => StoreHandle) => void): void {
  describe(`${name} [sqlite]`, () => {
    let dir = '';
    let store: Store | undefined;
    let url = '';
    const others: Store[] = [];
    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'heimdall-store-'));
      url = `sqlite:${join(dir, 'heimdall.db')}`;
      store = await openStore(url);
    });
    afterEach(async () => {
      for (const s of others.splice(0)) await s.close();
      await store?.close();
      rmSync(dir, { recursive: true, force: true });
    });
    suite(() => ({
      store: store as Store,
      url,
      async openAnother() {
        const s = await openStore(url);
        others.push(s);
        return s;
      },
    }));
  });

  describe(`${name} [sqlite via primary]`, () => {
    let dir = '';
    let host: LoopbackStoreHost | undefined;
    let store: Store | undefined;
    let url = '';
    const others: Store[] = [];
    const openPeer = (): Promise<Store> => {
      const peer = (host as LoopbackStoreHost).connect();
      return openStore(url, { sqliteDriver: (path) => openChannelSqlDriver(peer.channel, path) });
    };
    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'heimdall-store-'));
      url = `sqlite:${join(dir, 'heimdall.db')}`;
      host = startLoopbackStoreHost();
      store = await openPeer();
    });
    afterEach(async () => {
      for (const s of others.splice(0)) await s.close();
      await store?.close();
      await host?.close();
      rmSync(dir, { recursive: true, force: true });
    });
    suite(() => ({
      store: store as Store,
      url,
      async openAnother() {
        const s = await openPeer();
        others.push(s);
        return s;
      },
    }));
  });

  const canRun = postgresAvailable();
  if (!canRun && process.env['CI'] === undefined) {
    console.warn(`[${name}] PostgreSQL binaries not found: skipping the PostgreSQL run (install postgresql to run it)`);
  }
  (canRun || process.env['CI'] !== undefined ? describe : describe.skip)(`${name} [postgres]`, () => {
    let server: TestPostgres | undefined;
    let store: Store | undefined;
    const others: Store[] = [];
    beforeAll(async () => {
      server = await startTestPostgres();
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
    });
    beforeEach(async () => {
      store = await openStore((server as TestPostgres).url);
      const client = new pg.Client({ connectionString: (server as TestPostgres).url });
      await client.connect();
      await client.query(`TRUNCATE ${TABLES.join(', ')} CASCADE`);
      await client.end();
    });
    afterEach(async () => {
      for (const s of others.splice(0)) await s.close();
      await store?.close();
    });
    suite(() => ({
      store: store as Store,
      url: (server as TestPostgres).url,
      async openAnother() {
        const s = await openStore((server as TestPostgres).url);
        others.push(s);
        return s;
      },
    }));
  });
}
