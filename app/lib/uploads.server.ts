import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Busboy } from "@fastify/busboy";
import { data, MaxPartSizeExceededError } from "@remix-run/node";

export interface UploadLimits {
  /** Each file's limit; a larger file is refused with MaxPartSizeExceededError (its field's message). */
  maxFileBytes: number;
  maxFiles: number;
  maxFields?: number;
  maxFieldBytes?: number;
}

/**
 * Reads a multipart form with busboy: each file goes to a temporary folder on disk as it arrives,
 * stopping at its limit, and is read back only once the whole request proved within the limits
 * (at most `maxFiles × maxFileBytes` then; the request's total was checked before parsing, in
 * app/lib/request-limits.server.ts). File names are kept as sent, `=` and quotes included.
 * A malformed body or too many files answers 400 in the reader's language.
 */
export async function parseUpload(request: Request, limits: UploadLimits): Promise<FormData> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\b/i.test(contentType) || !request.body) throw refusal("security.uploadInvalid");
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "xq-upload-"));
  try {
    const form = new FormData();
    const files: { field: string; name: string; type: string; file: string }[] = [];
    let tooLarge: string | null = null;
    let tooMany = false;
    const writes: Promise<void>[] = [];
    let parser: InstanceType<typeof Busboy>;
    try {
      parser = new Busboy({
        headers: { "content-type": contentType },
        limits: {
          fileSize: limits.maxFileBytes,
          files: limits.maxFiles,
          fields: limits.maxFields ?? 50,
          fieldSize: limits.maxFieldBytes ?? 64 * 1024,
          parts: (limits.maxFields ?? 50) + limits.maxFiles,
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
      const file = path.join(dir, String(files.length));
      files.push({ field, name: filename, type: mimeType, file });
      stream.on("limit", () => (tooLarge = field));
      writes.push(pipeline(stream, fs.createWriteStream(file)));
    });
    parser.on("filesLimit", () => (tooMany = true));
    parser.on("partsLimit", () => (tooMany = true));
    try {
      await pipeline(Readable.fromWeb(request.body as import("node:stream/web").ReadableStream), parser);
      await Promise.all(writes);
    } catch {
      throw refusal("security.uploadInvalid");
    }
    if (tooLarge) throw new MaxPartSizeExceededError(tooLarge, limits.maxFileBytes);
    if (tooMany) throw refusal("security.tooManyFiles");
    for (const { field, name, type, file } of files) {
      form.append(field, new File([await fs.promises.readFile(file)], name, { type }));
    }
    return form;
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

const refusal = (code: string) => data({ code }, { status: 400 });
