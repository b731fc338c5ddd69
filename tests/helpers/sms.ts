/**
 * The newest SMS code a running test server (NODE_ENV=production, no SMS provider) logged for a
 * phone: without a provider the outbox logs each code as a warning (app/lib/sms.server.ts).
 */
export async function smsCodeFromLog(output: () => string, phone: string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const codes = output()
      .split("\n")
      .filter((line) => line.includes('"SMS outbox'))
      .map((line) => {
        try {
          return JSON.parse(line) as { phone?: string; code?: string };
        } catch {
          return {};
        }
      })
      .filter((entry) => entry.phone === phone && entry.code);
    if (codes.length > 0) return codes.at(-1)!.code!;
    if (Date.now() > deadline) throw new Error(`no SMS code for ${phone} in the server's log`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
