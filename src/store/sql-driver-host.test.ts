import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openChannelSqlDriver } from './channel-sql-driver.js';
import { startLoopbackStoreHost, type LoopbackStoreHost } from './__fixtures__/loopback-store-host.js';
import type { SqlDriver } from './sql-driver.js';

let dir = '';
let path = '';
let host: LoopbackStoreHost;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'heimdall-host-'));
  path = join(dir, 'h.db');
  host = startLoopbackStoreHost();
});
afterEach(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

const names = async (db: SqlDriver): Promise<string[]> => (await db.query('SELECT name FROM t ORDER BY name')).map((r) => String(r['name']));

describe('store host (SQLite in the cluster primary)', () => {
  it('keeps other peers out of an open transaction until it commits', async () => {
    const a = openChannelSqlDriver(host.connect().channel, path);
    const b = openChannelSqlDriver(host.connect().channel, path);
    await a.exec('CREATE TABLE t (name TEXT PRIMARY KEY)');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const insertedByA = new Promise<void>((resolve) => (inserted = resolve));
    const txA = a.transaction(async (tx) => {
      await tx.run('INSERT INTO t (name) VALUES (?)', ['a1']);
      inserted();
      await held;
      await tx.run('INSERT INTO t (name) VALUES (?)', ['a2']);
      return 'done';
    });
    await insertedByA;
    // B's write and read queue behind A's transaction: B never sees half of it.
    let bDone = false;
    const bWrite = b.run('INSERT INTO t (name) VALUES (?)', ['b']).then(() => (bDone = true));
    const bRead = bWrite.then(() => names(b));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(bDone).toBe(false);
    release();
    expect(await txA).toBe('done');
    await bWrite;
    expect(await bRead).toEqual(['a1', 'a2', 'b']);
  });

  it('rolls back a transaction whose body throws, and the error reaches the caller', async () => {
    const a = openChannelSqlDriver(host.connect().channel, path);
    await a.exec('CREATE TABLE t (name TEXT PRIMARY KEY)');
    await expect(
      a.transaction(async (tx) => {
        await tx.run('INSERT INTO t (name) VALUES (?)', ['x']);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await names(a)).toEqual([]);
  });

  it('rolls back what a peer left open when it goes away, and the others carry on', async () => {
    const peer = host.connect();
    const a = openChannelSqlDriver(peer.channel, path);
    const b = openChannelSqlDriver(host.connect().channel, path);
    await b.exec('CREATE TABLE t (name TEXT PRIMARY KEY)');
    let inserted!: () => void;
    const insertedByA = new Promise<void>((resolve) => (inserted = resolve));
    const txA = a.transaction(async (tx) => {
      await tx.run('INSERT INTO t (name) VALUES (?)', ['lost']);
      inserted();
      await new Promise((resolve) => setTimeout(resolve, 20));
      await tx.run('INSERT INTO t (name) VALUES (?)', ['never']);
    });
    await insertedByA;
    const bWrite = b.run('INSERT INTO t (name) VALUES (?)', ['kept']);
    peer.disconnect();
    await expect(txA).rejects.toThrow(/went away/);
    await bWrite;
    expect(await names(b)).toEqual(['kept']);
    // The dead peer's driver fails at once instead of hanging.
    await expect(a.query('SELECT 1')).rejects.toThrow(/went away/);
  });

  it('never hands the connection to a transaction whose peer left while it waited for its turn', async () => {
    const a = openChannelSqlDriver(host.connect().channel, path);
    const leaving = host.connect();
    const b = openChannelSqlDriver(leaving.channel, path);
    const c = openChannelSqlDriver(host.connect().channel, path);
    await a.exec('CREATE TABLE t (name TEXT PRIMARY KEY)');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let began!: () => void;
    const aBegan = new Promise<void>((resolve) => (began = resolve));
    const txA = a.transaction(async (tx) => {
      began();
      await held;
      await tx.run('INSERT INTO t (name) VALUES (?)', ['a']);
    });
    await aBegan;
    // B's begin reaches the host and waits behind A's transaction; then B goes away.
    const txB = b.transaction(async (tx) => {
      await tx.run('INSERT INTO t (name) VALUES (?)', ['b']);
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    leaving.disconnect();
    await expect(txB).rejects.toThrow(/went away/);
    release();
    await txA;
    // Without the check, B's transaction would hold the connection forever and this would hang.
    await c.run('INSERT INTO t (name) VALUES (?)', ['c']);
    expect(await names(c)).toEqual(['a', 'c']);
  });

  it('rolls back a transaction left open past the timeout, so one stuck peer does not hold the others', async () => {
    await host.close();
    host = startLoopbackStoreHost({ transactionTimeoutMs: 100 });
    const a = openChannelSqlDriver(host.connect().channel, path);
    const b = openChannelSqlDriver(host.connect().channel, path);
    await a.exec('CREATE TABLE t (name TEXT PRIMARY KEY)');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const txA = a.transaction(async (tx) => {
      await tx.run('INSERT INTO t (name) VALUES (?)', ['stuck']);
      await held;
    });
    // B waits for A's transaction only until the host gives up on it.
    await b.run('INSERT INTO t (name) VALUES (?)', ['b']);
    release();
    await expect(txA).rejects.toThrow(/transaction \d+ is not open/);
    expect(await names(b)).toEqual(['b']);
  });

  it('passes SQLite errors back with their code, and refuses a transaction that is not the caller’s', async () => {
    const a = openChannelSqlDriver(host.connect().channel, path);
    await a.exec('CREATE TABLE t (name TEXT PRIMARY KEY)');
    await a.run('INSERT INTO t (name) VALUES (?)', ['dup']);
    const err = (await a.run('INSERT INTO t (name) VALUES (?)', ['dup']).catch((e: unknown) => e)) as Error & { code?: string };
    expect(err.message).toMatch(/UNIQUE constraint failed/);
    expect(err.code).toBe('SQLITE_CONSTRAINT_PRIMARYKEY');
    // Another peer guessing a transaction id gets an error, not a way into someone's transaction.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const txA = a.transaction(async () => {
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const replies: unknown[] = [];
    host.host.handle({}, { type: 'heimdall:store:call', id: 1, path, op: 'run', sql: 'DELETE FROM t', params: [], tx: 0 }, (r) => replies.push(r));
    host.host.handle({}, { type: 'heimdall:store:call', id: 2, path, op: 'commit', tx: 0 }, (r) => replies.push(r));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(replies).toEqual([
      { type: 'heimdall:store:reply', id: 1, ok: false, message: expect.stringMatching(/^transaction 0 is not open/) as unknown },
      { type: 'heimdall:store:reply', id: 2, ok: false, message: expect.stringMatching(/^transaction 0 is not open/) as unknown },
    ]);
    release();
    await txA;
    expect(await names(a)).toEqual(['dup']);
    // Anything else on the channel is not the store's.
    expect(host.host.handle({}, { type: 'heimdall:metrics:collect', id: 3 }, () => undefined)).toBe(false);
  });
});
