/**
 * The PGlite thread's entry (./pglite-thread.ts, docs/decisions/035): opens PGlite as the
 * in-process client does (./pglite-open.ts, statements planned once by ./pglite-plans.ts) and
 * answers the main thread's requests, concurrently, as PGlite would answer them there: its own
 * locks order queries and transactions.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { QueryOptions, Results, Transaction } from "@electric-sql/pglite";
import { createPglite } from "./pglite-open";
import { planReusingClient } from "./pglite-plans";
import {
  batched,
  toWireError,
  type OpenData,
  type ThreadReply,
  type ThreadRequest,
  type WireOptions,
} from "./pglite-thread";

const port = parentPort!;
/** Posts replies; one whose value or error fields cannot be cloned is answered with the error's message alone. */
function postNow(replies: ThreadReply[]) {
  try {
    port.postMessage(replies);
  } catch (error) {
    if (replies.length > 1) {
      for (const reply of replies) postNow([reply]);
      return;
    }
    const [reply] = replies;
    if ("notify" in reply) throw error;
    const { name, message, stack } = toWireError(reply.ok ? error : reply.error);
    port.postMessage([
      { id: reply.id, ok: false, error: { name, message, stack, fields: {} } },
    ] satisfies ThreadReply[]);
  }
}

/**
 * Replies (and notifications, in order with them) finished in one turn of this thread cross in
 * one message, eight at most. PGlite answers a whole message's statements in one turn: held for
 * the end of that turn, the first answers waited for the last, and the main thread, with nothing
 * else to do, waited with them (docs/decisions/057).
 */
const post = batched<ThreadReply>(setImmediate, postNow, 8);

let pglite: Awaited<ReturnType<typeof createPglite>>;
try {
  pglite = await createPglite(workerData as OpenData);
} catch (error) {
  postNow([{ id: 0, ok: false, error: toWireError(error) }]);
  process.exit(1);
}
const client = planReusingClient(pglite);

/** The parsers for a set of type ids: each hands the text back (drizzle's do no more). */
const identity = (value: string) => value;
const parserSets = new Map<string, QueryOptions["parsers"]>();
function queryOptions(wire: WireOptions | undefined): QueryOptions | undefined {
  if (!wire) return undefined;
  const options: QueryOptions = { rowMode: wire.rowMode, paramTypes: wire.paramTypes };
  if (wire.rawTypes) {
    const key = wire.rawTypes.join(",");
    let parsers = parserSets.get(key);
    if (!parsers) {
      parsers = Object.fromEntries(wire.rawTypes.map((id) => [id, identity]));
      parserSets.set(key, parsers);
    }
    options.parsers = parsers;
  }
  return options;
}

/** Open transactions: PGlite's transaction object, held until the main thread commits or rolls back. */
const transactions = new Map<number, { tx: Transaction; end: (commit: boolean) => void; done: Promise<void> }>();
let nextTransaction = 1;

function begin(): Promise<number> {
  const id = nextTransaction++;
  return new Promise((resolve, reject) => {
    let end!: (commit: boolean) => void;
    const decided = new Promise<boolean>((r) => (end = r));
    const done = pglite.transaction(async (tx) => {
      transactions.set(id, { tx, end, done });
      resolve(id);
      if (!(await decided)) await tx.rollback();
    });
    // BEGIN failing rejects here; a COMMIT failing is answered to the commit request.
    done.catch(reject);
  });
}

async function end(id: number, commit: boolean): Promise<void> {
  const transaction = transactions.get(id);
  if (!transaction) throw new Error("Transaction is closed");
  transactions.delete(id);
  transaction.end(commit);
  await transaction.done;
}

function target(tx: number | undefined): Pick<Transaction, "query" | "exec"> {
  if (tx === undefined) return client;
  const transaction = transactions.get(tx);
  if (!transaction) throw new Error("Transaction is closed");
  return transaction.tx;
}

const unlisteners = new Map<number, () => Promise<void>>();

/** A result as it is posted: rows, fields and affected rows. */
const plain = <T>({ rows, fields, affectedRows }: Results<T>) => ({ rows, fields, affectedRows });

async function answer(request: ThreadRequest): Promise<unknown> {
  switch (request.op) {
    case "query": {
      const result = plain(await target(request.tx).query(request.sql, request.params, queryOptions(request.options)));
      if (request.options?.noFields) result.fields = [];
      return result;
    }
    case "exec":
      return (await target(request.tx).exec(request.sql, queryOptions(request.options))).map(plain);
    case "begin":
      return begin();
    case "commit":
      return end(request.tx, true);
    case "rollback":
      return end(request.tx, false);
    case "listen": {
      const { listener } = request;
      unlisteners.set(listener, await pglite.listen(request.channel, (payload) => post({ notify: listener, payload })));
      return null;
    }
    case "unlisten": {
      const unlisten = unlisteners.get(request.listener);
      unlisteners.delete(request.listener);
      await unlisten?.();
      return null;
    }
    case "close":
      await pglite.close();
      return null;
  }
}

port.on("message", (requests: ThreadRequest[]) => {
  for (const request of requests)
    answer(request).then(
      (value) => post({ id: request.id, ok: true, value }),
      (error: unknown) => post({ id: request.id, ok: false, error: toWireError(error) }),
    );
});
postNow([{ id: 0, ok: true, value: null }]);
