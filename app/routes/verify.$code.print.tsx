import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { assertCan } from "~/domain/accounts/permissions";
import { verifyPlaque } from "~/domain/badges/verify.server";
import { clockNow } from "~/lib/clock.server";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { formatDateTime } from "~/lib/time";

/**
 * The A5 plaque staff print: the award and a QR code (SVG) that opens its verify page. A revoked
 * or superseded plaque prints with that state across the sheet and why, never as a valid plaque.
 */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  await orErrorPage(async () => assertCan(user, { action: "plaque.print" }));
  const plaque = await verifyPlaque(context.db, params.code ?? "", clockNow());
  if (!plaque) throw data({ code: "errors.notFound" }, { status: 404 });
  const url = `${new URL(request.url).origin}/verify/${plaque.code}`;
  const { default: QRCode } = await import("qrcode");
  const qrSvg = await QRCode.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: 1 });
  return { plaque, url, qrSvg };
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageMeta(matches, { title: data ? `${data.plaque.businessName} · ${data.plaque.year}` : "" }, { noindex: true });

export default function PrintPlaque() {
  const { plaque, url, qrSvg } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language === "en" ? "en" : "zh-CN";
  const void_ = plaque.verdict !== "current";
  /** Why a revoked or superseded plaque is void: said above the sheet and again on it. */
  const whyVoid =
    plaque.verdict === "revoked"
      ? t("trust.print.revokedBody", {
          date: formatDateTime(plaque.revokedAt!, locale),
          reason: plaque.revokeReason ?? "",
        })
      : t("trust.print.supersededBody", { year: plaque.year });
  return (
    <section className="print-plaque" data-testid="print-plaque" data-verdict={plaque.verdict}>
      {void_ ? (
        <p className="form-errors" role="alert" data-testid="print-void-reason">
          {whyVoid}
        </p>
      ) : (
        <p className="print-plaque__hint no-print">{t("directory.verify.printHint")}</p>
      )}
      <div className={`print-plaque__sheet${void_ ? " print-plaque__sheet--void" : ""}`}>
        {void_ ? (
          <p className="print-plaque__void" data-testid="print-void" aria-hidden="false">
            {t(`trust.print.${plaque.verdict === "revoked" ? "revoked" : "superseded"}`)}
          </p>
        ) : null}
        <p className="print-plaque__issuer">{plaque.issuer}</p>
        <h1 className="print-plaque__kind">{t(`directory.plaqueKinds.${plaque.kind}`)}</h1>
        <p className="print-plaque__business">{plaque.businessName}</p>
        <p className="print-plaque__year">{plaque.year}</p>
        {/* The SVG comes from the qrcode library, not from user input. */}
        <div className="print-plaque__qr" data-testid="plaque-qr" dangerouslySetInnerHTML={{ __html: qrSvg }} />
        <p className="print-plaque__scan">{t("directory.verify.scan")}</p>
        <p className="print-plaque__url">{url}</p>
        {void_ ? <p className="print-plaque__void-note">{whyVoid}</p> : null}
      </div>
    </section>
  );
}
