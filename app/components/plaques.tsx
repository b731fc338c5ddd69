import { getTextareaProps, type FieldMetadata } from "@conform-to/react";
import { useTranslation } from "~/i18n/react";
import { FieldNotes } from "~/components/field";
import { lastDistrictDay, districtDate, formatDateTime } from "~/lib/time";
import { useLocale } from "~/components/page-parts";

/**
 * A labelled <textarea> with its hint and errors (message keys, translated here). Its words are
 * `label` and `hint`, or `text`: a message key that labels it, with the key `${text}Hint` as its hint.
 */
export function TextareaField({
  meta,
  rows = 4,
  ...words
}: {
  meta: FieldMetadata<string>;
  rows?: number;
} & ({ label: string; hint?: string } | { text: string })) {
  const { t } = useTranslation();
  const { label, hint } = "text" in words ? { label: t(words.text), hint: t(`${words.text}Hint`) } : words;
  const hintId = hint ? `${meta.id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={meta.id}>{label}</label>
      <textarea
        {...getTextareaProps(meta, { ariaDescribedBy: [hintId, meta.errorId].filter(Boolean).join(" ") || undefined })}
        key={meta.key}
        rows={rows}
      />
      <FieldNotes meta={meta} hint={hint} hintId={hintId} />
    </div>
  );
}

/** A revoked plaque's line: the badge, then the day it was revoked and why. */
export function RevokedNote({ at, reason }: { at: Date | string; reason: string | null }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <p className="small">
      <span className="badge badge--bad">{t("plaques.revoked")}</span>{" "}
      {t("plaques.revokedOn", { date: formatDateTime(at, locale), reason: reason ?? "" })}
    </p>
  );
}

interface Windows {
  nominationOpensAt: string | Date;
  nominationClosesAt: string | Date;
  reviewOpensAt: string | Date;
  reviewClosesAt: string | Date;
}

/** A round's two windows as the district's calendar days, first and last day included. */
export function RoundWindows({ round }: { round: Windows }) {
  const { t } = useTranslation();
  const span = (from: string | Date, to: string | Date) =>
    t("plaques.window", { from: districtDate(new Date(from)), to: lastDistrictDay(to) });
  return (
    <>
      <dt>{t("plaques.nominationWindow")}</dt>
      <dd data-testid="nomination-window">{span(round.nominationOpensAt, round.nominationClosesAt)}</dd>
      <dt>{t("plaques.reviewWindow")}</dt>
      <dd>{span(round.reviewOpensAt, round.reviewClosesAt)}</dd>
    </>
  );
}
