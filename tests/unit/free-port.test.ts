import fs from "node:fs";
import net from "node:net";
import { describe, expect, it } from "vitest";
import { freePort } from "../helpers/app";

const [low, high] = fs.existsSync("/proc/sys/net/ipv4/ip_local_port_range")
  ? fs.readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number)
  : [49152, 65535];

const listen = (port: number) =>
  new Promise<net.Server>((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(port, "0.0.0.0", () => resolve(server));
  });

describe("freePort (the ports test servers and their nginx-rtmp take)", () => {
  it("never comes from the kernel's range for outgoing connections, never repeats, and can be listened on", async () => {
    const ports: number[] = [];
    for (let i = 0; i < 40; i++) ports.push(await freePort());
    for (const port of ports) expect(port < low || port > high, `${port} is in ${low}-${high}`).toBe(true);
    expect(new Set(ports).size).toBe(ports.length);
    const servers = await Promise.all(ports.slice(0, 5).map(listen));
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });
});
