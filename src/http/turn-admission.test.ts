import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { admitPerTurn } from './turn-admission.js';

interface FakeRequest {
  readonly id: string;
  readonly method: string;
  readonly socket: { destroyed: boolean };
}

const request = (id: string, method = 'POST'): FakeRequest => ({ id, method, socket: { destroyed: false } });
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function gate(perTurn: () => number) {
  const started: string[] = [];
  const admit = admitPerTurn(perTurn, (req) => started.push((req as unknown as FakeRequest).id));
  const send = (r: FakeRequest): void => admit(r as unknown as IncomingMessage, {} as ServerResponse);
  return { started, send };
}

describe('admitPerTurn', () => {
  it('starts at most N requests a turn; the rest start in later turns, in arrival order, behind those already waiting', async () => {
    const { started, send } = gate(() => 2);
    for (const id of ['a', 'b', 'c', 'd', 'e']) send(request(id));
    expect(started).toEqual(['a', 'b']);
    await nextTurn();
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    // A newcomer goes behind the one still waiting, even though this turn has no starts yet.
    send(request('f'));
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    await nextTurn();
    expect(started).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    // Nothing waits any more: a new turn's first arrivals start at once.
    await nextTurn();
    await nextTurn();
    send(request('g'));
    send(request('h'));
    send(request('i'));
    expect(started.slice(6)).toEqual(['g', 'h']);
    await nextTurn();
    expect(started.slice(6)).toEqual(['g', 'h', 'i']);
  });

  it('skips a waiting request whose client went away, without spending a start on it', async () => {
    const { started, send } = gate(() => 1);
    const gone = request('b');
    for (const r of [request('a'), gone, request('c')]) send(r);
    gone.socket.destroyed = true;
    await nextTurn();
    expect(started).toEqual(['a', 'c']);
  });

  it('never holds GET and HEAD requests (health, readiness, metrics), and does not count them', async () => {
    const { started, send } = gate(() => 1);
    send(request('post-1'));
    send(request('post-2'));
    send(request('health', 'GET'));
    send(request('head', 'HEAD'));
    expect(started).toEqual(['post-1', 'health', 'head']);
    await nextTurn();
    expect(started).toEqual(['post-1', 'health', 'head', 'post-2']);
  });

  it('follows the limit as it changes: 0 starts everything, and what waited starts in the next turn', async () => {
    let limit = 1;
    const { started, send } = gate(() => limit);
    for (const id of ['a', 'b', 'c']) send(request(id));
    expect(started).toEqual(['a']);
    limit = 0;
    // Still behind the two that wait, so that order holds across the change.
    send(request('d'));
    expect(started).toEqual(['a']);
    await nextTurn();
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    for (const id of ['e', 'f', 'g']) send(request(id));
    expect(started).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  });

  it('keeps order over a long backlog (the queue compacts as it drains)', async () => {
    const { started, send } = gate(() => 7);
    const ids = Array.from({ length: 5000 }, (_, i) => `r${i}`);
    for (const id of ids) send(request(id));
    let turns = 0;
    while (started.length < ids.length && turns < 2000) {
      await nextTurn();
      turns++;
      // Arrivals during the drain go behind the backlog.
      if (turns % 100 === 0) {
        const id = `late${turns}`;
        ids.push(id);
        send(request(id));
      }
    }
    expect(started).toEqual(ids);
    expect(turns).toBe(Math.ceil(ids.length / 7) - 1);
  });
});
