/**
 * `T` without `readonly`, for building an object field by field. Hot paths do that instead of
 * `{ ...a, b }` / `{ a, ...(c ? { c } : {}), d }`: on V8 11.3 (Node 20) every object from a literal
 * with a property after a spread gets its own hidden class, which costs ~0.5 µs and lands in the
 * old generation (see test/perf/hot-path-literals.test.ts).
 */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };
