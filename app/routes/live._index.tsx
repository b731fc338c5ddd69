import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { listStudios, liveOverview, myBookings } from "~/domain/studio/bookings.server";
import { addMinutes, districtDate, districtMinute, formatClock, streamState } from "~/domain/studio/slots";
import { formatDateTime } from "~/lib/time";
import { useRootData } from "~/root";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "live");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const now = new Date();
  const [overview, studios, mine] = await Promise.all([
    liveOverview(context.db, now),
    listStudios(context.db),
    myBookings(context.db, context.actor),
  ]);
  return {
    now: now.toISOString(),
    /** The site's host as the visitor reached it, for webcal:// subscribe links. */
    calendarHost: new URL(request.url).host,
    ingestOnline: context.ingest.online(),
    canBook: (context.actor?.memberships.length ?? 0) > 0,
    studios,
    mine,
    ...overview,
  };
}

type Row = Awaited<ReturnType<typeof loader>>["week"][number];

// Building a formatter costs far more than using one; the week's seven days share one per language.
const dayFormats = new Map<string, Intl.DateTimeFormat>();
function dayFormat(locale: string): Intl.DateTimeFormat {
  let format = dayFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { weekday: "short", month: "numeric", day: "numeric", timeZone: "UTC" });
    dayFormats.set(locale, format);
  }
  return format;
}

export default function Live() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const locale = useRootData()?.locale ?? "zh-CN";
  const now = new Date(data.now);
  const live = data.upcoming.filter((b) => streamState(b, now) === "live");
  const upcoming = data.upcoming.filter((b) => streamState(b, now) === "upcoming");
  const days = Array.from({ length: 7 }, (_, i) =>
    districtDate(addMinutes(new Date(data.weekStart), i * 24 * 60 + 12 * 60)),
  );
  const studioName = (b: { studioNameZh: string; studioNameEn: string }) =>
    locale === "en" ? b.studioNameEn : b.studioNameZh;
  const placeName = (s: { nameZh: string; nameEn: string }) => (locale === "en" ? s.nameEn : s.nameZh);
  const slot = (b: Row) =>
    `${formatClock(districtMinute(new Date(b.startsAt)))}–${formatClock(districtMinute(new Date(b.endsAt)) || 1440)}`;
  const dayName = (date: string) => dayFormat(locale).format(new Date(`${date}T00:00:00Z`));
  const item = (b: Row) => (
    <li key={b.publicId} className="live-item">
      <Link to={`/live/${b.publicId}`}>{b.title}</Link>
      <span className="muted">
        {b.businessName} · {studioName(b)} · {formatDateTime(b.startsAt, locale)}
      </span>
    </li>
  );
  return (
    <section className="stack live">
      <h1>{t("studio.title")}</h1>
      <p>{t("studio.intro")}</p>
      {!data.ingestOnline ? (
        <p className="form-errors" role="status" data-testid="ingest-offline">
          {t("studio.ingestOffline")}
        </p>
      ) : null}
      {data.canBook ? (
        <p>
          <Link to="/live/book" className="button button--primary">
            {t("studio.book")}
          </Link>
        </p>
      ) : null}

      <h2>{t("studio.liveNow")}</h2>
      {live.length ? <ul className="live-list">{live.map(item)}</ul> : <p className="muted">{t("studio.noneLive")}</p>}

      <h2>{t("studio.upcoming")}</h2>
      {upcoming.length ? (
        <ul className="live-list">{upcoming.map(item)}</ul>
      ) : (
        <p className="muted">{t("studio.noneUpcoming")}</p>
      )}

      <h2>{t("studio.week")}</h2>
      <div className="studio-week">
        {data.studios.map((studio) => (
          <div key={studio.code} className="card">
            <h3>{placeName(studio)}</h3>
            <p className="muted">
              {t("studio.hours", { opens: formatClock(studio.opensAt), closes: formatClock(studio.closesAt) })}
            </p>
            <ol className="week-days">
              {days.map((day) => {
                const rows = data.week.filter(
                  (b) => b.studioCode === studio.code && districtDate(new Date(b.startsAt)) === day,
                );
                return (
                  <li key={day}>
                    <span className="week-days__day">{dayName(day)}</span>
                    {rows.length ? (
                      <ul>
                        {rows.map((b) => (
                          <li key={b.publicId}>
                            {slot(b)} <Link to={`/live/${b.publicId}`}>{b.title}</Link>
                          </li>
                        ))}
                      </ul>
                    ) : (
                      <span className="muted"> —</span>
                    )}
                  </li>
                );
              })}
            </ol>
            <p className="feed-links">
              {t("studio.studioFeed", { studio: placeName(studio) })}:{" "}
              <a href={`webcal://${data.calendarHost}/live/ical/studio/${studio.code}.ics`} data-testid="webcal">
                {t("studio.webcal")}
              </a>{" "}
              · <a href={`/live/ical/studio/${studio.code}.ics`}>{t("studio.icsFile")}</a>
            </p>
          </div>
        ))}
      </div>

      <h2>{t("studio.past")}</h2>
      {data.past.length ? (
        <ul className="live-list">{data.past.map(item)}</ul>
      ) : (
        <p className="muted">{t("studio.nonePast")}</p>
      )}

      {data.mine.length ? (
        <>
          <h2>{t("studio.myBookings")}</h2>
          <ul className="live-list" data-testid="my-bookings">
            {data.mine.map((b) => (
              <li key={b.publicId} className="live-item">
                <Link to={`/live/${b.publicId}`}>{b.title}</Link>
                <span className="muted">
                  {t(`studio.state.${streamState(b, now)}`)} · {studioName(b)} · {formatDateTime(b.startsAt, locale)}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
