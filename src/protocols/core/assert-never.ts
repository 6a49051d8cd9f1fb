// Exhaustiveness guard for `switch` over a string-literal union: if a new state or case is added
// and a switch forgets it, the call no longer type-checks. At run time it only fires when a value
// arrived from outside the type system (bad data), and then it says which value.

export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
