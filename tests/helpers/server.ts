import type http from "node:http";
import type { AddressInfo } from "node:net";

/** `server` listening on a free port of 127.0.0.1; its base URL (`http://127.0.0.1:<port>`). */
export async function listenLocally(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes `server` (when it was started) once its connections have ended. */
export function closeServer(server: http.Server | undefined): Promise<void> {
  return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
}
