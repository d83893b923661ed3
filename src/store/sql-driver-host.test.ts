import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { deflateRawSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openChannelSqlDriver } from './channel-sql-driver.js';
import { startLoopbackStoreHost, type LoopbackStoreHost } from './__fixtures__/loopback-store-host.js';
import type { SqlDriver, SqlValue } from './sql-driver.js';

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

describe('packed store calls (large calls over a channel that carries binary)', () => {
  let wide: LoopbackStoreHost;
  beforeEach(() => {
    wide = startLoopbackStoreHost({ wire: 'advanced' });
  });
  afterEach(async () => {
    await wide.close();
  });
  const rows = (n: number, from = 0): SqlValue[] => Array.from({ length: n }, (_, i) => [`name-${from + i}`, from + i]).flat();
  const insert = (n: number): string => `INSERT INTO t (name, n) VALUES ${Array<string>(n).fill('(?, ?)').join(', ')}`;
  const calls = (): Array<{ op: string; packed?: unknown; params?: unknown }> => wide.received as Array<{ op: string; packed?: unknown; params?: unknown }>;

  it('sends a call past the threshold packed, and the host runs it as made; smaller calls go as they are', async () => {
    const db = openChannelSqlDriver(wide.connect().channel, path, { packAtValues: 100 });
    await db.exec('CREATE TABLE t (name TEXT PRIMARY KEY, n INTEGER)');
    expect(await db.run(insert(60), rows(60))).toBe(60);
    expect(await db.runAll([{ sql: insert(30), params: rows(30, 60) }, { sql: insert(30), params: rows(30, 90) }])).toBe(60);
    expect(await db.run(insert(10), rows(10, 120))).toBe(10);
    const stored = await db.query('SELECT name, n FROM t ORDER BY n');
    expect(stored).toHaveLength(130);
    expect(stored[129]).toEqual({ name: 'name-129', n: 129 });
    expect(calls().map((c) => [c.op, c.packed instanceof Uint8Array, c.params === undefined])).toEqual([
      ['exec', false, true],
      ['run', true, true],
      ['runAll', true, true],
      ['run', false, false],
      ['query', false, false],
    ]);
  });

  it('keeps the order of calls made without waiting, when a small one follows a packed one', async () => {
    const db = openChannelSqlDriver(wide.connect().channel, path, { packAtValues: 100 });
    await db.exec('CREATE TABLE t (name TEXT PRIMARY KEY, n INTEGER)');
    const inTx = db.transaction(async (tx) => {
      const big = tx.run(insert(500), rows(500));
      const count = tx.query('SELECT COUNT(*) AS c FROM t');
      const [changed, [row]] = await Promise.all([big, count]);
      expect(changed).toBe(500);
      expect(row).toEqual({ c: 500 });
      throw new Error('undo it');
    });
    await expect(inTx).rejects.toThrow('undo it');
    // The packed statement was part of the transaction, so the rollback took it back.
    expect(await db.query('SELECT COUNT(*) AS c FROM t')).toEqual([{ c: 0 }]);
    expect(calls().some((c) => c.op === 'run' && c.packed instanceof Uint8Array)).toBe(true);
  });

  it('fails a packed call that does not unpack with an error of its own, and goes on serving', async () => {
    const db = openChannelSqlDriver(wide.connect().channel, path);
    await db.exec('CREATE TABLE t (name TEXT PRIMARY KEY, n INTEGER)');
    const replies: unknown[] = [];
    wide.host.handle({}, { type: 'heimdall:store:call', id: 1, path, op: 'run', packed: new Uint8Array([1, 2, 3]) }, (r) => replies.push(r));
    wide.host.handle({}, { type: 'heimdall:store:call', id: 2, path, op: 'run', packed: deflateRawSync(serialize([1, 2])) }, (r) => replies.push(r));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(replies).toEqual([
      { type: 'heimdall:store:reply', id: 1, ok: false, message: 'unexpected end of file', code: 'Z_BUF_ERROR' },
      { type: 'heimdall:store:reply', id: 2, ok: false, message: 'a packed store call did not hold a call body' },
    ]);
    expect(await db.run(insert(2), rows(2))).toBe(2);
  });
});
