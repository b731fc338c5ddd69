import type { Server, Socket } from "socket.io";
import type { Logger } from "../app/lib/log.server";

/** What a watch page sends: "I am watching this stream" (one room per stream). */
export interface ViewerClientEvents {
  "live:watch": (publicId: string) => void;
  /** The chat's join (livestream/chat.ts puts the socket in the same room): it counts as watching. */
  "chat:join": (payload: { publicId: string }, ...rest: never[]) => void;
}

/** What the server sends a stream's room whenever someone joins or leaves. */
export interface ViewerServerEvents {
  "live:viewers": (payload: { publicId: string; count: number }) => void;
}

/** Behind Redis: "how many of your sockets watch this stream?", answered by every other process. */
export interface ViewerInterServerEvents {
  "live:count": (publicId: string, ack: (count: number) => void) => void;
}

const roomOf = (publicId: string) => `live:${publicId}`;
const streamName = /^[a-z0-9]{4,32}$/;

/** Joins and leaves within this window are counted once (2,000 joins are not 2,000 counts). */
export const VIEWER_COALESCE_MS = 250;
/**
 * Behind Redis, two processes may count the same room at the same moment and their broadcasts
 * cross; one more count after the room has been quiet this long puts every client on the same,
 * final figure.
 */
export const VIEWER_SETTLE_MS = 1_500;

/**
 * Live viewer counts: each watch page joins its stream's room; the room's size is the count,
 * broadcast to the room after joins and leaves (coalesced per room). Signed in or not, everyone
 * counts. In one process the room's size is read from memory; behind Redis (`cluster`) each
 * process adds the other processes' answers to its own, so the figure is the stream's total.
 */
export function attachViewerCounts<
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  S extends Server<ViewerClientEvents, ViewerServerEvents, ViewerInterServerEvents, any>,
>(io: S, options: { cluster?: boolean; log?: Logger } = {}) {
  const cluster = options.cluster ?? false;
  const localCount = (publicId: string) => io.sockets.adapter.rooms.get(roomOf(publicId))?.size ?? 0;

  const clusterCount = (publicId: string) =>
    new Promise<number>((resolve) => {
      // The callback form keeps the answers that did arrive when a process is slow or gone (the
      // adapter waits 5 s for each process it has heard a heartbeat from).
      io.serverSideEmit("live:count", publicId, (err: Error | null, counts: number[]) => {
        if (err) options.log?.warn({ err, publicId }, "viewer count: not every socket.io process answered");
        // Counted after the answers are in, so a socket that joined here meanwhile is included.
        resolve(localCount(publicId) + (counts ?? []).reduce((sum, n) => sum + (Number.isFinite(n) ? n : 0), 0));
      });
    });

  const broadcast = async (publicId: string) => {
    const count = cluster ? await clusterCount(publicId) : localCount(publicId);
    io.to(roomOf(publicId)).emit("live:viewers", { publicId, count });
  };

  const due = new Map<string, NodeJS.Timeout>();
  const settling = new Map<string, NodeJS.Timeout>();
  const changed = (publicId: string) => {
    if (due.has(publicId)) return; // already counting soon: this change is included
    due.set(
      publicId,
      setTimeout(() => {
        due.delete(publicId);
        void broadcast(publicId);
        if (!cluster) return;
        clearTimeout(settling.get(publicId));
        settling.set(
          publicId,
          setTimeout(() => {
            settling.delete(publicId);
            void broadcast(publicId);
          }, VIEWER_SETTLE_MS),
        );
      }, VIEWER_COALESCE_MS),
    );
  };

  if (cluster) {
    io.on("live:count", (publicId, ack) => {
      if (typeof publicId === "string" && typeof ack === "function") ack(localCount(publicId));
    });
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  io.on("connection", (socket: Socket<ViewerClientEvents, ViewerServerEvents, ViewerInterServerEvents, any>) => {
    socket.on("live:watch", (publicId) => {
      if (typeof publicId !== "string" || !streamName.test(publicId)) return;
      for (const room of socket.rooms) {
        if (room.startsWith("live:") && room !== roomOf(publicId)) {
          void socket.leave(room);
          changed(room.slice("live:".length));
        }
      }
      void socket.join(roomOf(publicId));
      changed(publicId);
    });
    // `chat:join` puts the socket in the stream's room too (and out of any other stream's room),
    // so it counts as watching: the counts of both rooms are taken again. The chat's handler does
    // the joining and leaving (a refused join leaves no room); this one, registered first, only
    // notes which rooms change. The count is taken after the coalescing delay, once it has.
    socket.on("chat:join", (payload) => {
      const publicId = payload && typeof payload === "object" ? payload.publicId : undefined;
      if (typeof publicId !== "string" || !streamName.test(publicId)) return;
      for (const room of socket.rooms)
        if (room.startsWith("live:") && room !== roomOf(publicId)) changed(room.slice("live:".length));
      changed(publicId);
    });
    // A socket that comes back with its rooms (connection state recovery) counts again.
    if (socket.recovered)
      for (const room of socket.rooms) if (room.startsWith("live:")) changed(room.slice("live:".length));
    socket.on("disconnecting", () => {
      // The socket leaves its rooms after this event; the count is taken later, once it has.
      for (const room of socket.rooms) if (room.startsWith("live:")) changed(room.slice("live:".length));
    });
  });
}
