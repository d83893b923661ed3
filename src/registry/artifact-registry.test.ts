import { expect, it } from 'vitest';
import { buildTestArtifactJson } from '../../test/helpers/test-artifact.js';
import { createArtifactStore } from '../artifact/artifact-store.js';
import { isGatewayError } from '../errors/gateway-error.js';
import { describeEachStore } from '../store/__fixtures__/each-store.js';
import { activateArtifact, createStoreArtifactSource, listArtifacts, pushArtifact, rollbackArtifact } from './artifact-registry.js';

function artifactText(version: string, alpha = 0.5): string {
  return JSON.stringify({ ...buildTestArtifactJson({ alpha }), version });
}

describeEachStore('artifact registry', (h) => {
  it('validates pushes, versions them, activates and rolls back', async () => {
    const { store } = h();
    const bad = await pushArtifact(store, '{"format":"heimdall-artifact"}').catch((e: unknown) => e);
    expect(isGatewayError(bad) && bad.code).toBe('routing_artifact_invalid');
    expect(await pushArtifact(store, artifactText('a1'), { now: 1, note: 'first' })).toMatchObject({ version: 'a1', created: true });
    expect(await pushArtifact(store, artifactText('a1'), { now: 2 })).toMatchObject({ version: 'a1', created: false });
    await expect(pushArtifact(store, artifactText('a1', 0.9))).rejects.toThrow(/already in the registry with different content/);
    await pushArtifact(store, artifactText('a2'), { now: 3 });
    await expect(activateArtifact(store, 'zzz')).rejects.toMatchObject({ code: 'caller_not_found' });
    await expect(rollbackArtifact(store)).rejects.toThrow(/nothing to roll back/);
    await activateArtifact(store, 'a1', 4);
    await activateArtifact(store, 'a2', 5);
    expect((await listArtifacts(store)).map((a) => [a.version, a.active, a.note ?? null])).toEqual([['a2', true, null], ['a1', false, 'first']]);
    expect(await rollbackArtifact(store, 6)).toBe('a1');
  });

  it('serves the active version to replicas on their next reload, with a fallback before any activation', async () => {
    const { store } = h();
    const replicaStore = await h().openAnother();
    const changes: string[] = [];
    const errors: string[] = [];
    const replica = await createArtifactStore({
      source: createStoreArtifactSource(replicaStore, { description: 'test', fallback: () => artifactText('bundled') }),
      reloadSeconds: 0,
      onChange: (a) => changes.push(a.version),
      onError: (e) => errors.push(e.message),
    });
    expect(replica.current().version).toBe('bundled');
    expect(await replica.reload()).toBe(false);
    await pushArtifact(store, artifactText('a1'));
    expect(await replica.reload()).toBe(false);
    await activateArtifact(store, 'a1');
    expect(await replica.reload()).toBe(true);
    expect(replica.current().version).toBe('a1');
    await pushArtifact(store, artifactText('a2'));
    await activateArtifact(store, 'a2');
    await replica.reload();
    await rollbackArtifact(store);
    await replica.reload();
    expect(changes).toEqual(['a1', 'a2', 'a1']);
    expect(errors).toEqual([]);
    replica.close();
  });

  it('refuses to start from an empty registry without a fallback', async () => {
    const { store } = h();
    await expect(createArtifactStore({ source: createStoreArtifactSource(store, { description: 'test' }), reloadSeconds: 0 })).rejects.toThrow(/has no active artifact/);
  });
});
