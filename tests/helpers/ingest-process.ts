/**
 * The studio ingest alone in a process of its own, for tests that kill it outright (the orphaned
 * nginx test): `node --import tsx tests/helpers/ingest-process.ts DATA_DIR RTMP_PORT STATS_PORT`.
 * Prints "online" once nginx accepts RTMP connections, then runs until it is killed.
 */
import pino from "pino";
import { IngestSupervisor } from "../../livestream/ingest/supervisor";

const [dataDir, rtmpPort, statsPort] = process.argv.slice(2);
const ingest = new IngestSupervisor({
  dataDir,
  rtmpPort: Number(rtmpPort),
  statsPort: Number(statsPort),
  nginxBin: "/usr/sbin/nginx",
  rtmpModule: "/usr/lib/nginx/modules/ngx_rtmp_module.so",
  log: pino({ level: "silent" }),
});
ingest.start(3000);
const timer = setInterval(() => {
  if (!ingest.online()) return;
  clearInterval(timer);
  process.stdout.write("online\n");
}, 100);
