import { z } from "zod";

/**
 * In the browser zod must never probe `new Function("")`: the Content Security Policy refuses it
 * and reports a violation. zod decides when an object schema is built, that is when a route
 * module is first evaluated, so this module is the first import of app/root.tsx (the first route
 * module the browser evaluates), before any schema exists. On the server there is no CSP and
 * zod keeps its compiled fast path.
 */
if (typeof document !== "undefined") z.config({ jitless: true });
