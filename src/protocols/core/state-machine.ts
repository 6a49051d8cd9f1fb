// Every protocol keeps its states as a string-literal union and every legal move in one table
// (the h11 `_state.py` model), so the UI, the engine and the tests read the same source of truth.

export type TransitionTable<S extends string, E extends string> = {
  readonly [From in S]: { readonly [On in E]?: S };
};

export type TransitionResult<S extends string> =
  | { ok: true; from: S; to: S }
  | { ok: false; from: S; error: string };

/** Looks up the move for `event` in `state`; an event the table does not allow is an error value. */
export function transition<S extends string, E extends string>(
  table: TransitionTable<S, E>,
  state: S,
  event: E,
): TransitionResult<S> {
  const row = table[state];
  if (row === undefined) return { ok: false, from: state, error: `unknown state "${state}"` };
  const to = row[event];
  if (to === undefined) return { ok: false, from: state, error: `"${event}" is not allowed in state "${state}"` };
  return { ok: true, from: state, to };
}

/** Every state reachable from `start` through the table, for tests and the state diagram view. */
export function reachableStates<S extends string, E extends string>(table: TransitionTable<S, E>, start: S): Set<S> {
  const seen = new Set<S>([start]);
  const queue: S[] = [start];
  while (queue.length > 0) {
    const from = queue.shift() as S;
    for (const to of Object.values(table[from]) as S[]) {
      if (!seen.has(to)) {
        seen.add(to);
        queue.push(to);
      }
    }
  }
  return seen;
}
