import type { IncomingMessage, ServerResponse } from 'node:http';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Starts at most `perTurn()` requests per turn of the event loop; the rest wait, in arrival order,
 * for the next turns. An overloaded worker otherwise began every request that node parsed in one
 * poll (up to a thousand open connections' worth) before it read any upstream answer or sent any
 * response, so each turn took hundreds of milliseconds and every request held its routing state,
 * its upstream connection and its buffers across all of them (docs/benchmarks.md, session 20). A
 * waiting request holds only what node already gave it. Below capacity a turn seldom sees that many
 * arrivals and nothing waits. `perTurn()` is read as requests come (a config reload applies at
 * once); 0 starts everything at once.
 */
export function admitPerTurn(perTurn: () => number, handler: Handler): Handler {
  const waiting: Array<IncomingMessage | ServerResponse | undefined> = [];
  let head = 0;
  let startedThisTurn = 0;
  let turnWatched = false;

  const start = (req: IncomingMessage, res: ServerResponse): void => {
    startedThisTurn++;
    handler(req, res);
  };

  // An immediate runs once per turn, after the poll phase that delivered the turn's arrivals.
  const nextTurn = (): void => {
    turnWatched = false;
    startedThisTurn = 0;
    const limit = perTurn();
    const budget = limit > 0 ? limit : Infinity;
    while (head < waiting.length && startedThisTurn < budget) {
      const req = waiting[head] as IncomingMessage;
      const res = waiting[head + 1] as ServerResponse;
      waiting[head] = waiting[head + 1] = undefined;
      head += 2;
      // A client that left while its request waited: there is nobody to answer.
      if (req.socket.destroyed) continue;
      start(req, res);
    }
    if (head === waiting.length) {
      waiting.length = 0;
      head = 0;
    } else if (head >= 2048 && head * 2 >= waiting.length) {
      waiting.splice(0, head);
      head = 0;
    }
    // This turn's starts count against its budget until the next turn, and the waiting need it.
    if (startedThisTurn > 0 || head < waiting.length) watchTurn();
  };
  const watchTurn = (): void => {
    if (turnWatched) return;
    turnWatched = true;
    setImmediate(nextTurn);
  };

  return (req, res) => {
    // Health, readiness, metrics and the model list are cheap and must answer an overloaded worker's
    // probes in time: they never wait.
    if (req.method === 'GET' || req.method === 'HEAD') {
      handler(req, res);
      return;
    }
    const limit = perTurn();
    if (head === waiting.length) {
      if (limit <= 0) {
        handler(req, res);
        return;
      }
      if (startedThisTurn < limit) {
        watchTurn();
        start(req, res);
        return;
      }
    }
    waiting.push(req, res);
    watchTurn();
  };
}
