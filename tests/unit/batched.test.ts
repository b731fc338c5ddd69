import { describe, expect, it } from "vitest";
import { batched } from "../../db/pglite-thread";

/** The batching of messages between the server and its PGlite thread (docs/decisions/051, 057). */
describe("batched", () => {
  /** A schedule that runs its callbacks only when told to: the end of a turn. */
  function turn() {
    const scheduled: Array<() => void> = [];
    return {
      schedule: (run: () => void) => void scheduled.push(run),
      end: () => scheduled.splice(0).forEach((run) => run()),
    };
  }

  it("hands over what was given in one turn as one batch, in order", () => {
    const { schedule, end } = turn();
    const batches: number[][] = [];
    const post = batched<number>(schedule, (batch) => batches.push(batch));
    for (let i = 1; i <= 30; i++) post(i);
    expect(batches).toEqual([]);
    end();
    expect(batches).toEqual([Array.from({ length: 30 }, (_, i) => i + 1)]);
  });

  it("with `most`, hands a full batch over at once and the rest at the end of the turn, each item once", () => {
    const { schedule, end } = turn();
    const batches: number[][] = [];
    let scheduledSends = 0;
    const post = batched<number>(
      (run) => {
        scheduledSends++;
        schedule(run);
      },
      (batch) => batches.push(batch),
      8,
    );
    for (let i = 1; i <= 20; i++) post(i);
    expect(scheduledSends).toBe(1);
    expect(batches).toEqual([
      [1, 2, 3, 4, 5, 6, 7, 8],
      [9, 10, 11, 12, 13, 14, 15, 16],
    ]);
    end();
    expect(batches).toEqual([
      [1, 2, 3, 4, 5, 6, 7, 8],
      [9, 10, 11, 12, 13, 14, 15, 16],
      [17, 18, 19, 20],
    ]);
    post(21);
    end();
    expect(batches.at(-1)).toEqual([21]);
    expect(batches.flat()).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
  });
});
