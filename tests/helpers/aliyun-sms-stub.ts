/**
 * A local stand-in for Aliyun's SMS API (dysmsapi, action SendSms, version 2017-05-25), enough
 * for the real `@alicloud/dysmsapi20170525` SDK pointed at it. It checks what Aliyun checks: the
 * ACS3-HMAC-SHA256 signature over the canonical request (method, path, sorted query, the signed
 * x-acs-* / host / content-type headers, the payload's SHA-256), a known AccessKey id, a fresh
 * timestamp and a nonce used once, and the SendSms parameters (number, sign name, template and its
 * JSON parameters). It answers like Aliyun: HTTP 200 with `Code: "OK"` and a `BizId`, HTTP 200
 * with an `isv.*` code for a business refusal, HTTP 4xx for a signature or key problem.
 */
import { createHash, createHmac, randomBytes } from "node:crypto";
import http from "node:http";
import { closeServer, listenLocally } from "./server";

export interface AliyunSentMessage {
  phone: string;
  signName: string;
  templateCode: string;
  params: Record<string, string>;
  bizId: string;
}

export interface AliyunSmsStub {
  url: string;
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  templateCode: string;
  /** Every request that reached the stand-in, with the answer it got. */
  requests: { action: string | undefined; status: number; code: string }[];
  /** Messages accepted (Code "OK"). */
  sent: AliyunSentMessage[];
  /** Set by a test: the next SendSms is answered with this business error (HTTP 200, Code ≠ OK). */
  failNext: { Code: string; Message: string } | null;
  env(): Record<string, string>;
  close(): Promise<void>;
}

/** Aliyun's percent-encoding (RFC 3986: also ! ' ( ) *). */
function encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

export async function startAliyunSmsStub(): Promise<AliyunSmsStub> {
  const seenNonces = new Set<string>();
  let counter = 0;
  const stub: AliyunSmsStub = {
    url: "",
    accessKeyId: "LTAI5tStubKeyId000000000",
    accessKeySecret: "stubSecret" + randomBytes(8).toString("hex"),
    signName: "信圈",
    templateCode: "SMS_123456789",
    requests: [],
    sent: [],
    failNext: null,
    env: () => ({
      ALIYUN_SMS_ACCESS_KEY_ID: stub.accessKeyId,
      ALIYUN_SMS_ACCESS_KEY_SECRET: stub.accessKeySecret,
      ALIYUN_SMS_SIGN_NAME: stub.signName,
      ALIYUN_SMS_TEMPLATE_CODE: stub.templateCode,
      ALIYUN_SMS_ENDPOINT: stub.url,
    }),
    close: () => closeServer(server),
  };

  const requestId = () => `STUB-${String(++counter).padStart(6, "0")}-${randomBytes(4).toString("hex").toUpperCase()}`;

  const answer = (req: http.IncomingMessage, raw: Buffer): { status: number; body: Record<string, unknown> } => {
    const url = new URL(req.url ?? "/", "http://stub");
    const h = req.headers;
    const headerText = (name: string) => {
      const v = h[name];
      return Array.isArray(v) ? v.join(",") : (v ?? "");
    };
    const error = (status: number, Code: string, Message: string) => ({
      status,
      body: { RequestId: requestId(), HostId: "dysmsapi.aliyuncs.com", Code, Message },
    });

    // The signature, as Aliyun's gateway computes it.
    const auth = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(
      headerText("authorization"),
    );
    if (!auth) return error(400, "MissingAuthorization", "Authorization is mandatory for this action.");
    const [, keyId, signedHeaderList, signature] = auth;
    if (keyId !== stub.accessKeyId)
      return error(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
    if (headerText("x-acs-content-sha256") !== sha256(raw))
      return error(400, "ContentSHA256NotMatched", "The content hash does not match the body.");
    const signedHeaders = signedHeaderList.split(";");
    for (const required of ["host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce"]) {
      if (!signedHeaders.includes(required))
        return error(400, "IncompleteSignature", `The header ${required} must be signed.`);
    }
    const query = [...url.searchParams.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const canonicalQuery = query.map(([k, v]) => `${k}=${encode(v)}`).join("&");
    const canonicalHeaders = signedHeaders.map((name) => `${name}:${headerText(name).trim()}\n`).join("");
    const canonicalRequest = [
      req.method,
      url.pathname,
      canonicalQuery,
      canonicalHeaders,
      signedHeaders.join(";"),
      headerText("x-acs-content-sha256"),
    ].join("\n");
    const stringToSign = `ACS3-HMAC-SHA256\n${sha256(canonicalRequest)}`;
    const expected = createHmac("sha256", stub.accessKeySecret).update(stringToSign).digest("hex");
    if (expected !== signature)
      return error(400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.");
    const date = Date.parse(headerText("x-acs-date"));
    if (!Number.isFinite(date) || Math.abs(Date.now() - date) > 15 * 60_000)
      return error(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.");
    const nonce = headerText("x-acs-signature-nonce");
    if (seenNonces.has(nonce)) return error(400, "SignatureNonceUsed", "Specified signature nonce was used already.");
    seenNonces.add(nonce);

    // The action.
    if (headerText("x-acs-action") !== "SendSms" || headerText("x-acs-version") !== "2017-05-25")
      return error(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.");
    if (req.method !== "POST" || url.pathname !== "/")
      return error(400, "UnsupportedHTTPMethod", "This http method is not supported.");
    const p = Object.fromEntries(url.searchParams);
    const ok = (Code: string, Message: string, extra: Record<string, unknown> = {}) => ({
      status: 200,
      body: { RequestId: requestId(), Code, Message, ...extra },
    });
    for (const name of ["PhoneNumbers", "SignName", "TemplateCode"]) {
      if (!p[name]) return error(400, "MissingParameter", `${name} is mandatory for this action.`);
    }
    if (!/^(\+?86)?1\d{10}$/.test(p.PhoneNumbers)) return ok("isv.MOBILE_NUMBER_ILLEGAL", "非法手机号");
    if (p.SignName !== stub.signName) return ok("isv.SMS_SIGNATURE_ILLEGAL", "该账号下找不到对应签名");
    if (p.TemplateCode !== stub.templateCode) return ok("isv.SMS_TEMPLATE_ILLEGAL", "该账号下找不到对应模板");
    let params: Record<string, string>;
    try {
      params = JSON.parse(p.TemplateParam ?? "") as Record<string, string>;
    } catch {
      return ok("isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值");
    }
    if (typeof params.code !== "string") return ok("isv.TEMPLATE_MISSING_PARAMETERS", "模版缺少变量");
    if (stub.failNext) {
      const failure = stub.failNext;
      stub.failNext = null;
      return ok(failure.Code, failure.Message);
    }
    const bizId = `${String(900000000000 + counter)}^0`;
    stub.sent.push({ phone: p.PhoneNumbers, signName: p.SignName, templateCode: p.TemplateCode, params, bizId });
    return ok("OK", "OK", { BizId: bizId });
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const { status, body } = answer(req, Buffer.concat(chunks));
      stub.requests.push({
        action: req.headers["x-acs-action"] as string | undefined,
        status,
        code: String(body.Code),
      });
      res.writeHead(status, { "content-type": "application/json;charset=utf-8" });
      res.end(JSON.stringify(body));
    });
  });
  stub.url = await listenLocally(server);
  return stub;
}
