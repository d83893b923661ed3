/**
 * The trees of a {@link GbdtModel} relaid for a branch-free walk: each tree's nodes in breadth-first
 * order so that a node's right child directly follows its left one, and every leaf pointing at
 * itself behind a threshold of +Infinity on a sentinel feature that the walk holds at 0. A step is then `node = child[node] + (x >= threshold)`
 * whatever the node is, so a tree is walked with a fixed number of steps and no data-dependent
 * branch, and several trees can be walked side by side. A row's comparisons are unpredictable
 * by nature (about half go each way), and as branches they cost mispredictions: on the bundled
 * model (396 trees of depth 4) and real rows the node-by-node walk took 1.5x as long
 * (`npx tsx bench/decision-loops.ts`).
 */
export interface PackedGbdt {
  /** Per tree, the id of its root. */
  readonly root: Int32Array;
  /** Id of the left child (the right one is the next id); a leaf's own id. */
  readonly child: Int32Array;
  /**
   * Feature index of a split; for a leaf, `numFeature`: a slot past the row's features that the
   * walk sets to 0, so that `0 >= +Infinity` keeps it there even when a feature is +Infinity.
   */
  readonly feature: Int32Array;
  /** Split condition; +Infinity for a leaf, so that `x >= threshold` is false and the walk stays. */
  readonly threshold: Float32Array;
  /** Leaf values (0 on splits). */
  readonly leaf: Float32Array;
  /** Per block of {@link PACK_BLOCK} consecutive trees, the deepest leaf's depth: its step count. */
  readonly blockDepth: Int32Array;
}

/** Trees walked side by side: independent chains of loads that the CPU overlaps. */
export const PACK_BLOCK = 4;

/**
 * Deeper trees are left to the plain walk: a block takes as many steps as its deepest leaf, and
 * a lopsided tree (loss-guided growth) would make every tree of its block pay for its depth.
 */
export const PACK_MAX_DEPTH = 16;

/** The arrays a tree ensemble is packed from (global node ids, `-1` children for leaves). */
export interface GbdtNodes {
  readonly numFeature: number;
  readonly numTrees: number;
  readonly treeOffset: Int32Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly splitIndex: Int32Array;
  readonly threshold: Float32Array;
  readonly leafValue: Float32Array;
}

/** Packs `model`'s trees, or returns undefined when a tree is deeper than {@link PACK_MAX_DEPTH}. */
export function packGbdt(model: GbdtNodes): PackedGbdt | undefined {
  const { numFeature, numTrees, treeOffset, left, right, splitIndex, threshold, leafValue } = model;
  // Only nodes reachable from a root are packed (a parsed tree can keep pruned, inert nodes).
  let reachable = 0;
  const depth = new Int32Array(numTrees);
  const queue: number[] = [];
  const level: number[] = [];
  for (let t = 0; t < numTrees; t++) {
    queue.length = 0;
    level.length = 0;
    queue.push(treeOffset[t] as number);
    level.push(0);
    for (let h = 0; h < queue.length; h++) {
      const node = queue[h] as number;
      const d = level[h] as number;
      if (d > PACK_MAX_DEPTH) return undefined;
      if (d > (depth[t] as number)) depth[t] = d;
      const l = left[node] as number;
      if (l >= 0) {
        queue.push(l, right[node] as number);
        level.push(d + 1, d + 1);
      }
    }
    reachable += queue.length;
  }

  const root = new Int32Array(numTrees);
  const child = new Int32Array(reachable);
  const feature = new Int32Array(reachable);
  const thr = new Float32Array(reachable);
  const leaf = new Float32Array(reachable);
  let next = 0;
  for (let t = 0; t < numTrees; t++) {
    // Breadth-first: the children of the h-th node dequeued get the next two ids, in order.
    queue.length = 0;
    queue.push(treeOffset[t] as number);
    root[t] = next++;
    for (let h = 0; h < queue.length; h++) {
      const node = queue[h] as number;
      const id = (root[t] as number) + h;
      const l = left[node] as number;
      if (l < 0) {
        child[id] = id;
        feature[id] = numFeature;
        thr[id] = Infinity;
        leaf[id] = leafValue[node] as number;
        continue;
      }
      child[id] = next;
      next += 2;
      feature[id] = splitIndex[node] as number;
      thr[id] = threshold[node] as number;
      queue.push(l, right[node] as number);
    }
  }

  const blocks = Math.ceil(numTrees / PACK_BLOCK);
  const blockDepth = new Int32Array(blocks);
  for (let t = 0; t < numTrees; t++) {
    const b = Math.floor(t / PACK_BLOCK);
    if ((depth[t] as number) > (blockDepth[b] as number)) blockDepth[b] = depth[t] as number;
  }
  return { root, child, feature, threshold: thr, leaf, blockDepth };
}
