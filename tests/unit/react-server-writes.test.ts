import { createRequire } from "node:module";
import path from "node:path";
import { Writable } from "node:stream";
import { createElement, Fragment, type ReactElement } from "react";
import { describe, expect, it } from "vitest";

/**
 * Our patch to React's Node renderer (patches/react-dom+18.3.1.patch, docs/decisions/056) joins
 * the pieces of a page into one string and encodes it once per ~16 K characters, instead of
 * encoding each piece of a few bytes on its own. Both of its builds (the development one that
 * tests load, the production one that `npm start` loads) must still write exactly the page that
 * React's string renderer makes: same characters, in order, UTF-8 without a byte lost or added.
 */
const require = createRequire(import.meta.url);
const cjs = path.join(path.dirname(require.resolve("react-dom/package.json")), "cjs");
type Server = typeof import("react-dom/server");
const builds: Record<string, Server> = {
  development: require(path.join(cjs, "react-dom-server.node.development.js")) as Server,
  production: require(path.join(cjs, "react-dom-server.node.production.min.js")) as Server,
};
const legacy = require(path.join(cjs, "react-dom-server-legacy.node.production.min.js")) as Server;

/** A page of ~75 KB: Chinese, emoji (two UTF-16 units each), attributes to escape, text next to text. */
function page(): ReactElement {
  const rows = Array.from({ length: 700 }, (_, i) =>
    createElement(
      "li",
      { key: i, "data-code": `S${i}`, title: `"${i}" & <${i}>`, className: i % 2 ? "odd" : undefined },
      `${"老王烩面馆".slice(0, (i % 5) + 1)}${i}`,
      i % 7 === 0 ? "🍜" : "",
      " ",
      createElement("b", null, i),
      i % 3 === 0 ? createElement(Fragment, null, "诚信", createElement("br")) : null,
    ),
  );
  return createElement("main", null, createElement("h1", null, "商贸社区 · 诚信商圈"), createElement("ul", null, rows));
}

function streamed(server: Server, element: ReactElement): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const pieces: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        pieces.push(Buffer.from(chunk));
        done();
      },
      final(done) {
        resolve(Buffer.concat(pieces));
        done();
      },
    });
    const { pipe } = server.renderToPipeableStream(element, {
      onAllReady: () => pipe(sink),
      onShellError: reject,
      onError: reject,
    });
  });
}

describe("React's Node renderer, as patched", () => {
  const expected = legacy.renderToString(page());

  it.each(Object.keys(builds))("writes in its %s build the same page as the string renderer", async (build) => {
    const bytes = await streamed(builds[build], page());
    expect(bytes.length).toBeGreaterThan(60_000);
    expect(bytes.indexOf(0)).toBe(-1);
    expect(new TextDecoder("utf-8", { fatal: true }).decode(bytes)).toBe(expected);
  });
});
