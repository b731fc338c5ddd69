import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import v8 from "node:v8";
import { Worker } from "node:worker_threads";
import type { PGlite, QueryOptions, Results, Transaction } from "@electric-sql/pglite";
import { returnsItsInput } from "./pglite-plans";

/**
 * PGlite on a thread of its own (docs/decisions/035): a `node:worker_threads` Worker opens the
 * database (./pglite-worker.ts) and runs every statement, and this side offers drizzle the part of
 * a PGlite client that drizzle-orm/pglite calls: `query`, `exec` and `transaction`, whose callback
 * gets `query`, `exec` and `rollback` (drizzle's savepoints are statements inside it). SQL then
 * executes, and its rows are read, on another core than the one rendering pages.
 *
 * What crosses between the threads is structured-cloned: rows, fields and affected rows, and an
 * error's Postgres fields (code, constraint, detail …) copied onto an Error on this side. Parsers
 * are functions and cannot cross: the worker hands the text of their types back unchanged (which
 * is all drizzle's parsers do) and this side runs any parser that does more.
 */

/** Options as they cross to the worker: the parsers' type ids instead of the parsers. */
export interface WireOptions {
  rowMode?: "array" | "object";
  paramTypes?: number[];
  /** Type ids whose values come back as the text Postgres sent. */
  rawTypes?: number[];
  /**
   * Rows as arrays with nothing to parse on this side: the answer's `fields` come back empty.
   * drizzle maps such rows by its own list of columns and never reads them; cloning a
   * descriptor per column for every query cost both threads.
   */
  noFields?: boolean;
}

export type ThreadRequest =
  | { id: number; op: "query"; tx?: number; sql: string; params?: unknown[]; options?: WireOptions }
  | { id: number; op: "exec"; tx?: number; sql: string; options?: WireOptions }
  | { id: number; op: "begin" }
  | { id: number; op: "commit" | "rollback"; tx: number }
  | { id: number; op: "listen"; channel: string; listener: number }
  | { id: number; op: "unlisten"; listener: number }
  | { id: number; op: "close" };

export interface WireError {
  name: string;
  message: string;
  stack?: string;
  /** The error's own properties: a Postgres error's code, detail, constraint, query, params … */
  fields: Record<string, unknown>;
}

export type ThreadReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: WireError }
  | { notify: number; payload: string };

export interface OpenData {
  dataDir?: string;
  loadDataDir?: Blob | File;
}

/** Copies an error's message and own fields into a form that can be posted. */
export function toWireError(error: unknown): WireError {
  if (!(error instanceof Error)) return { name: "Error", message: String(error), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    // queryOptions holds the caller's parsers (functions); this side puts the caller's own back.
    if (key !== "queryOptions" && typeof value !== "function") fields[key] = value;
  }
  return { name: error.name, message: error.message, stack: error.stack, fields };
}

function fromWireError(wire: WireError, queryOptions?: QueryOptions): Error {
  const error = new Error(wire.message);
  error.name = wire.name;
  if (wire.stack) error.stack = wire.stack;
  Object.assign(error, wire.fields);
  if (queryOptions && "query" in wire.fields) Object.assign(error, { queryOptions });
  return error;
}

/**
 * The worker's entry. In the server build it lies beside server.js (vite.config.ts) and this module
 * in server.js or a chunk under assets/. Run from TypeScript (tests, `npm run dev`), the worker is
 * ./pglite-worker.ts, loaded through tsx's loader, registered in the worker itself (Node 20 does
 * not apply the parent's `--import tsx` to a worker's entry).
 */
/** The file of tsx's ESM `register` API as this module resolves the package (its `import` export). */
function tsxEsmApi(): string {
  const manifest = createRequire(import.meta.url).resolve("tsx/package.json");
  const exports = (JSON.parse(fs.readFileSync(manifest, "utf8")) as { exports: Record<string, unknown> }).exports;
  const entry = (exports["./esm/api"] as { import: { default: string } }).import.default;
  return path.join(path.dirname(manifest), entry);
}

function newWorker(data: OpenData): Worker {
  // The thread's JavaScript only passes queries and rows: a 4 MB young generation is plenty for
  // that, where the default lets it grow to tens of MB kept at rest (ADR 034, memory at rest).
  const options = { workerData: data, name: "pglite", resourceLimits: { maxYoungGenerationSizeMb: 4 } };
  // `npm start`'s --max-semi-space-size (ADR 050) is meant for the main thread, whose heap took it
  // when the process started; V8 would give it to this thread too, over its resourceLimits.
  v8.setFlagsFromString("--max-semi-space-size=0");
  if (import.meta.url.endsWith(".ts")) {
    const file = new URL("./pglite-worker.ts", import.meta.url).href;
    // tsx as this module resolves it: an eval'd worker resolves bare names from the working
    // directory, which need not hold the project (`tsx db/migrate.ts` run from elsewhere).
    const tsx = pathToFileURL(tsxEsmApi()).href;
    const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(file)}); })`;
    return new Worker(boot, { ...options, eval: true });
  }
  const candidates = [new URL("./pglite-worker.js", import.meta.url), new URL("../pglite-worker.js", import.meta.url)];
  const file = candidates.find((url) => fs.existsSync(url));
  if (!file) throw new Error(`the PGlite thread's entry pglite-worker.js is missing beside ${import.meta.url}`);
  return new Worker(file, options);
}

/**
 * What is handed to the returned function until `schedule` runs goes to `flush` as one array, in
 * order: each message between the threads costs both a structured clone's set-up and a wake-up
 * (docs/decisions/051). With `most`, a batch that reaches that many items goes at once, without
 * waiting for `schedule`: the side waiting for them can start on them while this side goes on
 * (docs/decisions/057).
 */
export function batched<T>(
  schedule: (run: () => void) => void,
  flush: (batch: T[]) => void,
  most = Number.POSITIVE_INFINITY,
): (item: T) => void {
  let pending: T[] = [];
  let scheduled = false;
  const send = () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    flush(batch);
  };
  return (item) => {
    pending.push(item);
    if (pending.length >= most) send();
    else if (!scheduled) {
      // One scheduled send a turn, however many full batches went before it.
      scheduled = true;
      schedule(() => {
        scheduled = false;
        send();
      });
    }
  };
}

type Parsers = NonNullable<QueryOptions["parsers"]>;
type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; options?: QueryOptions };

/** The options to post, and the parsers this side must still run (those that change the text). */
function wireOptions(options: QueryOptions | undefined): { wire?: WireOptions; parsers?: Parsers } {
  if (!options) return {};
  if (options.serializers || options.blob || options.onNotice)
    throw new Error("the PGlite thread takes no serializers, blob or onNotice: functions and files cannot cross");
  const wire: WireOptions = { rowMode: options.rowMode, paramTypes: options.paramTypes };
  const ids = Object.keys(options.parsers ?? {});
  if (ids.length) wire.rawTypes = ids.map(Number);
  const changing = ids.filter((id) => !returnsItsInput((options.parsers as Parsers)[Number(id)]));
  if (!changing.length) return { wire: { ...wire, noFields: options.rowMode === "array" } };
  return { wire, parsers: Object.fromEntries(changing.map((id) => [id, (options.parsers as Parsers)[Number(id)]])) };
}

function applyParsers<T>(results: Results<T>, parsers: Parsers, rowMode: "array" | "object" | undefined): Results<T> {
  results.fields.forEach((field, index) => {
    const parser = parsers[field.dataTypeID];
    if (!parser) return;
    for (const row of results.rows as Record<string | number, unknown>[]) {
      const key = rowMode === "array" ? index : field.name;
      const value = row[key];
      // PGlite calls a parser with the type id too (its parseType).
      if (typeof value === "string")
        row[key] = (parser as (text: string, type: number) => unknown)(value, field.dataTypeID);
    }
  });
  return results;
}

/** What drizzle-orm/pglite uses of a PGlite client; a class, so drizzle takes it for a client, not a config. */
export class PgliteThreadClient {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  readonly #listeners = new Map<number, (payload: string) => void>();
  #next = 1;
  #failure: Error | null = null;
  #closing = false;
  readonly #onFailure: ((error: Error) => void)[] = [];

  constructor(worker: Worker) {
    this.#worker = worker;
    worker.unref();
    worker.on("message", (replies: ThreadReply[]) => {
      for (const reply of replies) this.#receive(reply);
    });
    worker.on("error", (error) => this.#fail(error));
    worker.on("exit", (code) => this.#fail(new Error(`the PGlite thread exited (code ${code})`)));
  }

  #receive(reply: ThreadReply) {
    if ("notify" in reply) {
      this.#listeners.get(reply.notify)?.(reply.payload);
      return;
    }
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    // The thread keeps the process alive only while it owes an answer, as PGlite in-process would.
    if (!this.#pending.size) this.#worker.unref();
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(fromWireError(reply.error, pending.options));
  }

  #fail(error: Error) {
    const first = !this.#failure;
    this.#failure ??= error;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
    // Not asked to close: the thread died (e.g. PGlite's WebAssembly aborted), and every later call fails.
    if (first && !this.#closing) for (const callback of this.#onFailure) callback(error);
  }

  /** Calls `callback` once if the thread dies without being closed: every later call would fail. */
  onFailure(callback: (error: Error) => void): void {
    this.#onFailure.push(callback);
  }

  /** Posts one request (its `id` is filled in) and resolves with the worker's answer. */
  call<T>(request: DistributiveOmit<ThreadRequest, "id">, options?: QueryOptions): Promise<T> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      if (!this.#pending.size) this.#worker.ref();
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject, options });
      this.#send({ ...request, id });
    });
  }

  /** Requests made in one turn (a page's reads started together, many pages at once) cross in one message. */
  readonly #send = batched<ThreadRequest>(queueMicrotask, (batch) => {
    if (!this.#failure) this.#worker.postMessage(batch);
  });

  async query<T>(sql: string, params?: unknown[], options?: QueryOptions, tx?: number): Promise<Results<T>> {
    const { wire, parsers } = wireOptions(options);
    const results = await this.call<Results<T>>({ op: "query", tx, sql, params, options: wire }, options);
    return parsers ? applyParsers(results, parsers, options?.rowMode) : results;
  }

  async exec(sql: string, options?: QueryOptions, tx?: number): Promise<Results[]> {
    const { wire, parsers } = wireOptions(options);
    const results = await this.call<Results[]>({ op: "exec", tx, sql, options: wire }, options);
    return parsers ? results.map((r) => applyParsers(r, parsers, options?.rowMode)) : results;
  }

  /**
   * The worker holds PGlite's transaction open between messages until commit or rollback, as
   * PGlite's own `transaction()` does in-process: BEGIN, the callback's statements, then COMMIT,
   * or ROLLBACK when the callback throws or calls `rollback()`.
   */
  async transaction<T>(callback: (tx: Transaction) => Promise<T>): Promise<T> {
    const id = await this.call<number>({ op: "begin" });
    let closed = false;
    const checkClosed = () => {
      if (closed) throw new Error("Transaction is closed");
    };
    const tx = {
      query: async <R>(sql: string, params?: unknown[], options?: QueryOptions) => {
        checkClosed();
        return this.query<R>(sql, params, options, id);
      },
      exec: async (sql: string, options?: QueryOptions) => {
        checkClosed();
        return this.exec(sql, options, id);
      },
      rollback: async () => {
        checkClosed();
        closed = true;
        await this.call({ op: "rollback", tx: id });
      },
      get closed() {
        return closed;
      },
    } as unknown as Transaction;
    try {
      const result = await callback(tx);
      if (!closed) {
        closed = true;
        await this.call({ op: "commit", tx: id });
      }
      return result;
    } catch (error) {
      if (!closed) {
        closed = true;
        await this.call({ op: "rollback", tx: id });
      }
      throw error;
    }
  }

  /** LISTEN on `channel`; resolves to a function that stops listening. */
  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    const listener = this.#next++;
    this.#listeners.set(listener, onNotify);
    try {
      await this.call({ op: "listen", channel, listener });
    } catch (error) {
      this.#listeners.delete(listener);
      throw error;
    }
    return async () => {
      await this.call({ op: "unlisten", listener });
      this.#listeners.delete(listener);
    };
  }

  /** Closes PGlite in the worker, then ends the worker. */
  async close(): Promise<void> {
    this.#closing = true;
    try {
      await this.call({ op: "close" });
    } finally {
      await this.#worker.terminate();
    }
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Starts the worker and waits until PGlite is open in it (or rejects with why it could not open). */
export async function openPgliteThread(data: OpenData): Promise<PgliteThreadClient> {
  const worker = newWorker(data);
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    const onExit = (code: number) => reject(new Error(`the PGlite thread exited (code ${code}) before PGlite opened`));
    worker.once("error", onError);
    worker.once("exit", onExit);
    worker.once("message", ([message]: ThreadReply[]) => {
      worker.off("error", onError);
      worker.off("exit", onExit);
      if ("ok" in message && !message.ok) {
        void worker.terminate();
        reject(fromWireError(message.error));
      } else resolve();
    });
  });
  return new PgliteThreadClient(worker);
}

/** The type drizzle-orm/pglite's `drizzle()` wants; it calls only what PgliteThreadClient has. */
export const asPglite = (client: PgliteThreadClient) => client as unknown as PGlite;
