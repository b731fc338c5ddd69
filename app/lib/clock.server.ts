import fs from "node:fs";

// Read once: the tests set it when they start a server, and reading process.env costs a call into
// the environment on every request.
const clockFile = process.env.XQ_TEST_CLOCK_FILE;

/**
 * The server's "now". Domain functions take `now` as a parameter; routes pass `clockNow()`.
 * Browser tests move the clock of a running server by writing an offset in milliseconds to the
 * file XQ_TEST_CLOCK_FILE names (an operator never sets it; without it this is `new Date()`).
 */
export function clockNow(): Date {
  if (!clockFile) return new Date();
  let offset = 0;
  try {
    offset = Number(fs.readFileSync(clockFile, "utf8").trim()) || 0;
  } catch {
    offset = 0;
  }
  return new Date(Date.now() + offset);
}
