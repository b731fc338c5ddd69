import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Busboy } from "@fastify/busboy";
import { data } from "@remix-run/node";

export interface UploadLimits {
  /** Each file's limit. */
  maxFileBytes: number;
  maxFiles: number;
  maxFields?: number;
  maxFieldBytes?: number;
}

/** A file part that was over the limit: not kept, but named so the form can say which one. */
export interface RefusedFile {
  field: string;
  name: string;
}

/**
 * Reads a multipart form with busboy: each file goes to a temporary folder on disk as it arrives,
 * stopping at its limit, and is read back only once the whole request proved within the limits
 * (at most `maxFiles × maxFileBytes` then; the request's total was checked before parsing, in
 * app/lib/request-limits.server.ts). File names are kept as sent, `=` and quotes included.
 * A file over its limit does not abort the form (which would lose everything typed): it is
 * dropped and listed in `tooLarge`, and the other fields and files are kept. A malformed body or
 * too many files answers 400 in the reader's language.
 */
export async function readMultipartForm(
  request: Request,
  limits: Omit<UploadLimits, "maxFiles"> & { maxFiles?: number },
): Promise<{ form: FormData; tooLarge: RefusedFile[] }> {
  const maxFiles = limits.maxFiles ?? 5;
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\b/i.test(contentType) || !request.body) throw refusal("security.uploadInvalid");
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "xq-upload-"));
  try {
    const form = new FormData();
    const files: { field: string; name: string; type: string; file: string; over: boolean }[] = [];
    let tooMany = false;
    const writes: Promise<void>[] = [];
    let parser: InstanceType<typeof Busboy>;
    try {
      parser = new Busboy({
        headers: { "content-type": contentType },
        limits: {
          fileSize: limits.maxFileBytes,
          files: maxFiles,
          fields: limits.maxFields ?? 50,
          fieldSize: limits.maxFieldBytes ?? 64 * 1024,
          parts: (limits.maxFields ?? 50) + maxFiles,
        },
      });
    } catch {
      throw refusal("security.uploadInvalid");
    }
    parser.on("field", (name, value) => form.append(name, value));
    parser.on("file", (field, stream, filename, _encoding, mimeType) => {
      if (!filename) {
        stream.resume();
        return;
      }
      const entry = { field, name: filename, type: mimeType, file: path.join(dir, String(files.length)), over: false };
      files.push(entry);
      stream.on("limit", () => (entry.over = true));
      writes.push(pipeline(stream, fs.createWriteStream(entry.file)));
    });
    parser.on("filesLimit", () => (tooMany = true));
    parser.on("partsLimit", () => (tooMany = true));
    try {
      await pipeline(Readable.fromWeb(request.body as import("node:stream/web").ReadableStream), parser);
      await Promise.all(writes);
    } catch {
      throw refusal("security.uploadInvalid");
    }
    if (tooMany) throw refusal("security.tooManyFiles");
    const tooLarge: RefusedFile[] = [];
    for (const { field, name, type, file, over } of files) {
      if (over) tooLarge.push({ field, name });
      else form.append(field, new File([await fs.promises.readFile(file)], name, { type }));
    }
    return { form, tooLarge };
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

const refusal = (code: string) => data({ code }, { status: 400 });

/** "2 MB" for a byte limit, as the refusal messages say it. */
export const megabytes = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
