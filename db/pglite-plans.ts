import { parse, protocol, type PGlite, type QueryOptions, type Results } from "@electric-sql/pglite";

type Parsers = PGlite["parsers"];

/**
 * PGlite as drizzle's client, with each statement planned once (docs/decisions/031).
 *
 * PGlite's `query()` runs every statement as an unnamed one through five extended-protocol
 * messages (parse, describe, bind, describe, execute) and a sync, each a trip into its
 * WebAssembly, and Postgres plans it afresh every time. That fixed cost was ~0.35 ms of CPU for
 * `SELECT 1`, and planning the directory's search (two CTEs, eight joined relations) ~11 ms
 * against ~1 ms executing it.
 *
 * Here a statement's text is `PREPARE`d once under a name and then run with one simple-protocol
 * message, `EXECUTE name('value', …)`: each value is a quoted literal of unknown type, which
 * Postgres reads with the parameter's input function, exactly as it reads the text values of a
 * Bind message (PGlite sends those as text too). Postgres then keeps a generic plan once it costs
 * no more than the custom ones (plan_cache_mode auto: after five executions), as it does for the
 * named statements postgres.js prepares on a Postgres server.
 *
 * The message goes through PGlite's `execProtocol` under the same two locks its `exec()` takes,
 * and the rows are read with `parse.parseResults` and a parser table merged once: `exec()` and
 * `query()` merge the caller's parsers into PGlite's table of ~390 parsers on every call, and
 * drizzle passes its own (timestamps, dates and intervals as the strings Postgres sent) on every
 * query, which cost ~0.15 ms a query. Only parsers that hand the value back unchanged are merged
 * this way (drizzle's); any other parser goes through `exec()` as given.
 *
 * Falls back to PGlite's own `query()`, unchanged, for: a value that is not a string, number,
 * bigint, boolean or null (PGlite serializes those by the parameter's type); a text Postgres
 * cannot prepare (not a SELECT/INSERT/UPDATE/DELETE/VALUES, a parameter whose type it cannot
 * infer, several statements); and queries inside a transaction, which drizzle sends to PGlite's
 * transaction object, not to this client.
 */
const maxStatements = 300;

function literal(value: unknown): string | undefined {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "string") return value.includes("\0") ? undefined : `'${value.replaceAll("'", "''")}'`;
  if (typeof value === "number") return Number.isFinite(value) ? `'${value}'` : undefined;
  if (typeof value === "bigint") return `'${value}'`;
  if (typeof value === "boolean") return value ? "'t'" : "'f'";
  return undefined;
}

/** A parser that hands the text back unchanged (drizzle's for dates, times and intervals). */
const sentinel = "xq-parser-probe";
export const returnsItsInput = (parser: unknown) =>
  typeof parser === "function" && (parser as (value: string, type: number) => unknown)(sentinel, 0) === sentinel;

export function planReusingClient(pglite: PGlite): PGlite {
  /** PGlite's parsers with identity parsers for a set of type ids, by that set (e.g. "1082,1114"). */
  const mergedParsers = new Map<string, Parsers>();
  const parsersFor = (extra: QueryOptions["parsers"]): Parsers | undefined => {
    if (!extra) return pglite.parsers;
    const ids = Object.keys(extra);
    if (!ids.every((id) => returnsItsInput((extra as Parsers)[id]))) return undefined;
    const key = ids.join(",");
    let merged = mergedParsers.get(key);
    if (!merged) {
      merged = { ...pglite.parsers, ...extra };
      mergedParsers.set(key, merged);
    }
    return merged;
  };
  /**
   * One simple-protocol statement, under the locks `exec()` takes, its rows read with `parsers`.
   * Without PGlite's sync to the file system afterwards: both file systems db/pglite-open.ts opens
   * (a folder: NodeFS; memory) write through and their `syncToFs` does nothing, and asking for it
   * still cost each statement a turn through PGlite's file-system lock (~4 % of a shop page's CPU,
   * paired A/B). An IndexedDB or OPFS file system would need it; this project opens neither.
   */
  const runSimple = <T>(text: string, parsers: Parsers, options: QueryOptions | undefined, params?: unknown[]) =>
    pglite._runExclusiveTransaction(() =>
      pglite._runExclusiveQuery(async () => {
        try {
          const { messages } = await pglite.execProtocol(protocol.serialize.query(text), { syncToFs: false });
          return parse.parseResults(messages, parsers, { rowMode: options?.rowMode })[0] as Results<T>;
        } catch (error) {
          Object.assign(error as object, { query: text, params, queryOptions: options });
          throw error;
        }
      }),
    );

  /** Statement text → its name (null: it cannot be prepared); least recently used first. */
  const names = new Map<string, Promise<string | null>>();
  let next = 1;

  const nameOf = (text: string): Promise<string | null> => {
    const known = names.get(text);
    if (known) {
      names.delete(text);
      names.set(text, known);
      return known;
    }
    const chosen = `xq_s${next++}`;
    const name = pglite.exec(`PREPARE ${chosen} AS ${text}`).then(
      () => chosen,
      () => null,
    );
    names.set(text, name);
    if (names.size > maxStatements) {
      const [oldestText, oldest] = names.entries().next().value!;
      names.delete(oldestText);
      void oldest
        .then((n) => (n ? pglite.exec(`DEALLOCATE ${n}`) : undefined))
        .catch(() => {
          // already gone
        });
    }
    return name;
  };

  async function query<T>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    const literals = (params ?? []).map(literal);
    if (options?.blob || options?.paramTypes || literals.some((l) => l === undefined))
      return pglite.query<T>(text, params, options);
    const name = await nameOf(text);
    if (!name) return pglite.query<T>(text, params, options);
    const execute = literals.length ? `EXECUTE ${name}(${literals.join(", ")})` : `EXECUTE ${name}`;
    const parsers = parsersFor(options?.parsers);
    if (!parsers) return (await pglite.exec(execute, options))[0] as Results<T>;
    return runSimple<T>(execute, parsers, options, params);
  }

  return new Proxy(pglite, {
    get(target, property) {
      if (property === "query") return query;
      const value: unknown = Reflect.get(target, property, target);
      // PGlite's methods use private fields: they must run on the instance itself.
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
