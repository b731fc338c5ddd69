/** The same keys as the Chinese messages, each holding any string. */
export type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

/**
 * One area's messages (studio, alliance, ...) in both languages, in one file next to each other.
 * English must have exactly the Chinese keys; the compiler checks.
 */
export function defineMessages<const Zh extends object>(zh: Zh, en: Widen<Zh>) {
  return { zh, en };
}
