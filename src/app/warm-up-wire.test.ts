import { describe, expect, it } from 'vitest';
import { warmUpWire } from './warm-up-wire.js';

describe('warmUpWire', () => {
  it('decodes every sample stream to its end and re-encodes it, every round', async () => {
    const result = await warmUpWire(3);
    // A sample the parsers reject would end the warm-up at round 0 with an error instead.
    expect(result.error).toBeUndefined();
    expect(result.rounds).toBe(3);
    // Per round: OpenAI, Anthropic and Gemini streams, each start + three text deltas + finish.
    expect(result.streamParts).toBe(3 * 3 * 5);
  });

  it('does nothing for zero rounds', async () => {
    expect(await warmUpWire(0)).toEqual({ rounds: 0, streamParts: 0 });
  });
});
