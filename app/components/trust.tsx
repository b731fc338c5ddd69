import { Form } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import type { TrustRecord } from "~/domain/feedback/trust-record.server";
import { districtDate, formatDateTime } from "~/lib/time";
import { PlaqueBadge } from "./directory";
import { SubmitButton } from "~/components/submit-button";

type Dated<T> = {
  [K in keyof T]: T[K] extends Date ? Date | string : T[K] extends Date | null ? Date | string | null : T[K];
};
type RecordData = Omit<TrustRecord, "since" | "until" | "plaques"> & {
  since: Date | string;
  until: Date | string;
  plaques: Omit<TrustRecord["plaques"], "list"> & { list: Dated<TrustRecord["plaques"]["list"][number]>[] };
};

const day = (v: Date | string) => districtDate(new Date(v));

/**
 * 诚信档案: the shop's last 12 months as plain numbers, the standing and the rules that gave it
 * (ADR 020). Server-rendered, no script of its own: the verify page opens from a QR scan.
 */
export function TrustRecordCard({ record, plaqueList = true }: { record: RecordData; plaqueList?: boolean }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === "en" ? "en" : "zh-CN";
  const c = record.complaints;
  const d = record.disputes;
  const a = record.answers;
  return (
    <section className="card stack trust" data-testid="trust-record" data-standing={record.standing}>
      <h2>{t("trust.record.title")}</h2>
      <p className="muted small">{t("trust.record.period", { since: day(record.since), until: day(record.until) })}</p>
      <p>
        {t("trust.record.standingLabel")}:{" "}
        <strong className={`trust__standing trust__standing--${record.standing}`} data-testid="trust-standing">
          {t(`trust.record.standing.${record.standing}`)}
        </strong>
      </p>
      <details className="trust__how">
        <summary>{t("trust.record.howComputed")}</summary>
        <p className="small">{t("trust.record.rulesIntro")}</p>
        <ul className="small" data-testid="trust-rules">
          {record.checks.map((check) => (
            <li key={check.rule} data-rule={check.rule} data-tripped={check.tripped}>
              {t(`trust.record.rules.${check.rule}`, { value: check.value, limit: check.limit })}
              {check.tripped ? <strong> · {t("trust.record.tripped")}</strong> : null}
            </li>
          ))}
        </ul>
      </details>
      <h3>{t("trust.record.complaints", { total: c.total })}</h3>
      <dl className="trust__counts" data-testid="trust-complaints">
        {(["resolved", "upheld", "unfounded", "withdrawn", "open"] as const).map((o) => (
          <div key={o} data-outcome={o}>
            <dt>{t(`trust.record.outcomes.${o}`)}</dt>
            <dd>{c[o]}</dd>
          </div>
        ))}
      </dl>
      <h3>{t("trust.record.answers")}</h3>
      <p data-testid="trust-answers">
        {a.sent === 0
          ? t("trust.record.noneSent")
          : t("trust.record.answeredShare", {
              sent: a.sent,
              answered: a.answered,
              percent: Math.round((a.share ?? 0) * 100),
            })}
        {a.medianDays !== null ? (
          <>
            <br />
            {t("trust.record.medianDays", { days: a.medianDays })}
          </>
        ) : null}
      </p>
      <h3>{t("trust.record.disputes", { total: d.total })}</h3>
      <dl className="trust__counts" data-testid="trust-disputes">
        {(["resolved", "withdrawn", "unresolvable", "open"] as const).map((o) => (
          <div key={o} data-outcome={o}>
            <dt>{t(`trust.record.disputeOutcomes.${o}`)}</dt>
            <dd>{d[o]}</dd>
          </div>
        ))}
      </dl>
      <h3>{t("trust.record.plaques", { held: record.plaques.held })}</h3>
      {record.plaques.list.length === 0 ? <p className="muted small">{t("trust.record.noPlaques")}</p> : null}
      <ul className="trust__plaques" data-testid="trust-plaques">
        {/* The shop page lists its plaques below; there the record names only the revoked ones. */}
        {record.plaques.list
          .filter((p) => plaqueList || p.state === "revoked")
          .map((p) => (
            <li key={p.code} data-state={p.state}>
              <PlaqueBadge kind={p.kind} year={p.year} />{" "}
              <span className={`plaque-state plaque-state--${p.state}`}>
                {t(`directory.shop.plaqueStates.${p.state}`)}
              </span>
              {p.revokedAt ? (
                <span className="small" data-testid="trust-revocation">
                  {" "}
                  {t("trust.record.revokedOn", {
                    date: formatDateTime(p.revokedAt, locale),
                    reason: p.revokeReason ?? "",
                  })}
                </span>
              ) : null}
            </li>
          ))}
      </ul>
    </section>
  );
}

/** Enter a case number (a plain GET form: works without script). */
export function CaseLookup({ defaultValue }: { defaultValue?: string }) {
  const { t } = useTranslation();
  return (
    <Form method="get" action="/cases" className="case-lookup" data-testid="case-lookup">
      <label htmlFor="case-number">{t("trust.cases.lookup")}</label>
      <div className="case-lookup__row">
        <input
          id="case-number"
          name="number"
          inputMode="text"
          autoCapitalize="characters"
          placeholder={t("trust.cases.lookupHint")}
          defaultValue={defaultValue}
        />
        <SubmitButton label={t("trust.cases.go")} />
      </div>
    </Form>
  );
}

/** The "complain about this shop" button, or the way to sign in first. */
export function ComplainLink({ businessId, from }: { businessId: number; from?: string }) {
  const { t } = useTranslation();
  const to = `/shops/${businessId}/complain${from ? `?from=${encodeURIComponent(from)}` : ""}`;
  return (
    <Link className="button button--danger" to={to} data-testid="complain-link">
      {t("trust.complain.button")}
    </Link>
  );
}
