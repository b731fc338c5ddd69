import { useFetcher } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { InputField, SelectField } from "~/components/field";
import { SubmitButton } from "~/components/submit-button";
import { Outcome } from "~/components/alliance";
import { photoSources } from "~/lib/photo-sources";
import { formatDateTime } from "~/lib/time";
import { Options } from "~/components/page-parts";

type Result = { ok: boolean; value: string | null; error: string | null };

export interface ShownReview {
  id: number;
  rating: number;
  body: string;
  photos: string[];
  replyBody: string | null;
  viaDispute: boolean;
  createdAt: string | Date;
  author: string;
  mine: boolean;
  reportedByMe: boolean;
  mayReply: boolean;
}

export interface ReviewsData {
  count: number;
  average: number | null;
  items: ShownReview[];
  grounds: { ground: string; kind: "order" | "dispute"; id: number }[];
}

const reportReasons = ["spam", "offensive", "off_topic", "other"] as const;

function Stars({ rating }: { rating: number }) {
  const { t } = useTranslation();
  return (
    <span className="stars" role="img" aria-label={t("reviews.stars", { rating })}>
      {"★".repeat(rating)}
      <span className="stars__off">{"★".repeat(5 - rating)}</span>
    </span>
  );
}

function FetcherOutcome({ data }: { data: Result | undefined }) {
  const { t } = useTranslation();
  return <Outcome result={data} okText={data?.ok && data.value ? t(data.value) : undefined} />;
}

/** The shop page's reviews: the average and count, the form for those who earned it, each review. */
export function ReviewsSection({
  businessId,
  reviews,
  signedIn,
}: {
  businessId: number;
  reviews: ReviewsData;
  signedIn: boolean;
}) {
  const { t } = useTranslation();
  const action = `/shops/${businessId}/reviews`;
  const write = useFetcher<Result>();
  return (
    <section className="card stack reviews" id="reviews" data-testid="reviews">
      <h2>{t("reviews.title")}</h2>
      <p data-testid="rating-summary">
        {reviews.average !== null ? (
          <>
            <Stars rating={Math.round(reviews.average)} />{" "}
            {t("reviews.summary", { average: reviews.average.toFixed(1), count: reviews.count })}
          </>
        ) : (
          <span className="muted">{t("reviews.none")}</span>
        )}
      </p>
      <p className="muted small">{t("reviews.rule")}</p>
      {signedIn && reviews.grounds.length > 0 ? (
        <write.Form
          method="post"
          action={action}
          encType="multipart/form-data"
          className="stack"
          data-testid="review-form"
          key={reviews.grounds[0].ground}
        >
          <h3>{t("reviews.write")}</h3>
          <SelectField
            id="review-ground"
            name="ground"
            label={t("reviews.ground")}
            defaultValue={reviews.grounds[0].ground}
            options={reviews.grounds.map((g) => ({
              value: g.ground,
              label: t(g.kind === "order" ? "reviews.groundOrder" : "reviews.groundDispute", { id: g.id }),
            }))}
          />
          <fieldset className="field rating-input">
            <legend>{t("reviews.rating")}</legend>
            {[5, 4, 3, 2, 1].map((n) => (
              <label key={n} className="check">
                <input type="radio" name="rating" value={n} required defaultChecked={n === 5} />{" "}
                {t("reviews.stars", { rating: n })}
              </label>
            ))}
          </fieldset>
          <div className="field">
            <label htmlFor="review-body">{t("reviews.body")}</label>
            <textarea id="review-body" name="body" rows={3} maxLength={500} required />
            <p className="muted small">{t("reviews.bodyHint")}</p>
          </div>
          <InputField
            id="review-photos"
            label={t("reviews.photos")}
            name="photos"
            type="file"
            accept="image/jpeg,image/png,image/webp"
            multiple
          />
          <FetcherOutcome data={write.data} />
          <button
            type="submit"
            name="intent"
            value="review"
            className="button button--primary"
            disabled={write.state !== "idle"}
          >
            {t("reviews.submit")}
          </button>
        </write.Form>
      ) : (
        <FetcherOutcome data={write.data} />
      )}
      {reviews.items.length > 0 ? (
        <ul className="review-list" data-testid="review-list">
          {reviews.items.map((r) => (
            <ReviewItem key={r.id} review={r} action={action} signedIn={signedIn} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function ReviewItem({ review: r, action, signedIn }: { review: ShownReview; action: string; signedIn: boolean }) {
  const { t, i18n } = useTranslation();
  const reply = useFetcher<Result>();
  const report = useFetcher<Result>();
  return (
    <li className="review" data-testid="review">
      <p className="review__head">
        <Stars rating={r.rating} /> <strong>{r.author}</strong>{" "}
        <span className="muted small">
          {t(r.viaDispute ? "reviews.viaDispute" : "reviews.viaOrder")} ·{" "}
          {formatDateTime(r.createdAt, i18n.language as "zh-CN" | "en")}
        </span>
      </p>
      <p className="review__body">{r.body}</p>
      {r.photos.length > 0 ? (
        <div className="review__photos">
          {r.photos.map((name, i) => (
            <a key={name} href={`/media/reviews/${name.replace(/-640\.webp$/, "-1280.webp")}`}>
              <img
                {...photoSources(`/media/reviews/${name}`, "(max-width: 480px) 30vw, 150px")}
                alt={t("reviews.photoAlt", { n: i + 1 })}
                width={96}
                height={96}
                loading="lazy"
              />
            </a>
          ))}
        </div>
      ) : null}
      {r.replyBody !== null ? (
        <p className="review__reply" data-testid="review-reply">
          <strong>{t("reviews.reply")}：</strong>
          {r.replyBody}
        </p>
      ) : null}
      {r.mayReply ? (
        <reply.Form method="post" action={action} className="stack" data-testid="reply-form">
          <input type="hidden" name="reviewId" value={r.id} />
          <label htmlFor={`reply-${r.id}`}>{t("reviews.replyLabel")}</label>
          <textarea id={`reply-${r.id}`} name="body" rows={2} maxLength={500} required />
          <FetcherOutcome data={reply.data} />
          <button type="submit" name="intent" value="reply" className="button" disabled={reply.state !== "idle"}>
            {t("reviews.replySubmit")}
          </button>
        </reply.Form>
      ) : (
        <FetcherOutcome data={reply.data} />
      )}
      {signedIn && !r.mine ? (
        r.reportedByMe ? (
          <p className="muted small">{t("reviews.reportedBadge")}</p>
        ) : (
          <details className="review__report">
            <summary>{t("reviews.report")}</summary>
            <report.Form method="post" action={action} className="stack">
              <input type="hidden" name="reviewId" value={r.id} />
              <label htmlFor={`report-${r.id}`}>{t("reviews.reportReason")}</label>
              <select id={`report-${r.id}`} name="reason" defaultValue="spam">
                <Options
                  options={reportReasons.map((reason) => ({
                    value: reason,
                    label: t(`alliance.reportReason.${reason}`),
                  }))}
                />
              </select>
              <SubmitButton intent="report" label={t("reviews.reportSubmit")} />
            </report.Form>
          </details>
        )
      ) : null}
      {r.reportedByMe ? <FetcherOutcome data={report.data} /> : null}
    </li>
  );
}
