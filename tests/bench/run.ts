/**
 * `npm run bench`: measures what the issues set targets for, on this machine, and prints the
 * figures. Benchmarks never run inside `npm test`; tests never assert on wall time.
 * `npm run bench -- pages memory` runs only the named ones (startup, directory, directory-large,
 * pages, memory, workers, proxy, latency, chat, hls).
 */
import { execFileSync } from "node:child_process";
import os from "node:os";
import { benchChat } from "./chat";
import { benchDirectory, benchDirectoryLarge } from "./directory";
import { benchHls } from "./hls";
import { benchBrowserLatency, benchLatency } from "./latency";
import { benchMemory, benchPages, benchProxy, benchWorkers } from "./pages";
import { benchStartup } from "./startup";

const only = process.argv.slice(2);
const benches: Record<string, () => Promise<Record<string, number | string>>> = {
  startup: benchStartup,
  directory: benchDirectory,
  "directory-large": benchDirectoryLarge,
  pages: benchPages,
  memory: benchMemory,
  workers: benchWorkers,
  proxy: benchProxy,
  latency: () => benchLatency(),
  // A phone app's default: a keyframe every 2 seconds (the go-live page asks for 1 s).
  "latency-2s-keyframes": () => benchLatency({ keyframeSeconds: 2 }),
  "latency-browser": benchBrowserLatency,
  chat: benchChat,
  hls: benchHls,
};

console.log(`# Xinquan benchmarks — ${new Date().toISOString()} — ${os.cpus().length} cores, Node ${process.version}`);
execFileSync("npx", ["remix", "vite:build"], { stdio: "ignore" });
for (const [name, bench] of Object.entries(benches)) {
  if (only.length && !only.includes(name)) continue;
  console.log(`\n## ${name}`);
  const figures = await bench();
  for (const [label, value] of Object.entries(figures)) console.log(`- ${label}: ${value}`);
}
