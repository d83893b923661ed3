/** A JSON-like object read from YAML, JSON or the environment. */
export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Recursively merges `overlay` onto `base` (objects merge, everything else replaces); inputs are not mutated. */
export function deepMerge(base: PlainObject, overlay: PlainObject): PlainObject {
  const out: PlainObject = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}

/** Deep copy of JSON-like data so later edits never touch the caller's object. */
export function cloneJson<T>(value: T): T {
  return structuredClone(value);
}

export function getPath(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) {
    if (!isPlainObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

/** Sets `path` inside `root`, creating (or replacing non-object) intermediates. */
export function setPath(root: PlainObject, path: readonly string[], value: unknown): void {
  let node = root;
  path.slice(0, -1).forEach((key) => {
    const next = node[key];
    if (!isPlainObject(next)) node[key] = {};
    node = node[key] as PlainObject;
  });
  const last = path[path.length - 1];
  if (last !== undefined) node[last] = value;
}

/** Deletes `path` and then any parents it left empty. */
export function deletePath(root: PlainObject, path: readonly string[]): void {
  const parents: PlainObject[] = [root];
  for (const key of path.slice(0, -1)) {
    const next = parents[parents.length - 1]?.[key];
    if (!isPlainObject(next)) return;
    parents.push(next);
  }
  for (let depth = path.length - 1; depth >= 0; depth -= 1) {
    const parent = parents[depth];
    const key = path[depth];
    if (parent === undefined || key === undefined) return;
    const child = parent[key];
    if (depth === path.length - 1 || (isPlainObject(child) && Object.keys(child).length === 0)) delete parent[key];
    else return;
  }
}

/** Recursively freezes a plain data tree. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}
