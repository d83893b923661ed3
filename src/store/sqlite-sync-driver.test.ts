import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteSyncDriver } from './sqlite-sync-driver.js';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'heimdall-sync-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('SQLite on the calling thread (the cluster primary’s driver)', () => {
  it('fails the calls while the database cannot be opened, and opens it on a later call once it can', async () => {
    // The database's directory is a plain file: nothing can be created under it.
    const blocker = join(dir, 'data');
    writeFileSync(blocker, '');
    const db = openSqliteSyncDriver(join(blocker, 'h.db'));
    await expect(db.query('SELECT 1 AS one')).rejects.toThrow();
    await expect(db.query('SELECT 1 AS one')).rejects.toThrow();
    rmSync(blocker);
    mkdirSync(blocker);
    expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await db.close();
  });

  it('runs calls made during a transaction after it, and a failed body leaves nothing behind', async () => {
    const db = openSqliteSyncDriver(join(dir, 'h.db'));
    await db.exec('CREATE TABLE t (name TEXT PRIMARY KEY)');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const order: string[] = [];
    const tx = db.transaction(async (inner) => {
      await inner.run('INSERT INTO t (name) VALUES (?)', ['in-tx']);
      await held;
      order.push('tx body done');
      throw new Error('abandon');
    });
    const outside = db.run('INSERT INTO t (name) VALUES (?)', ['outside']).then(() => order.push('outside ran'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(order).toEqual([]);
    release();
    await expect(tx).rejects.toThrow('abandon');
    await outside;
    expect(order).toEqual(['tx body done', 'outside ran']);
    expect(await db.query('SELECT name FROM t')).toEqual([{ name: 'outside' }]);
    await db.close();
  });
});
