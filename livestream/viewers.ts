import type { Server, Socket } from "socket.io";

/** What a watch page sends: "I am watching this stream" (one room per stream). */
export interface ViewerClientEvents {
  "live:watch": (publicId: string) => void;
}

/** What the server sends a stream's room whenever someone joins or leaves. */
export interface ViewerServerEvents {
  "live:viewers": (payload: { publicId: string; count: number }) => void;
}

const roomOf = (publicId: string) => `live:${publicId}`;
const streamName = /^[a-z0-9]{4,32}$/;

/**
 * Live viewer counts: each watch page joins its stream's room; the room's size is the count,
 * broadcast to the room on every join and leave. Signed in or not, everyone counts.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function attachViewerCounts<S extends Server<ViewerClientEvents, ViewerServerEvents, any, any>>(io: S) {
  const broadcast = (publicId: string) => {
    const count = io.sockets.adapter.rooms.get(roomOf(publicId))?.size ?? 0;
    io.to(roomOf(publicId)).emit("live:viewers", { publicId, count });
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  io.on("connection", (socket: Socket<ViewerClientEvents, ViewerServerEvents, any, any>) => {
    socket.on("live:watch", (publicId) => {
      if (typeof publicId !== "string" || !streamName.test(publicId)) return;
      for (const room of socket.rooms) if (room.startsWith("live:") && room !== roomOf(publicId)) void socket.leave(room);
      void socket.join(roomOf(publicId));
      broadcast(publicId);
    });
    socket.on("disconnecting", () => {
      const watched = [...socket.rooms].filter((r) => r.startsWith("live:")).map((r) => r.slice("live:".length));
      // The socket leaves its rooms after this event: count again once it has.
      setImmediate(() => watched.forEach(broadcast));
    });
  });
}
