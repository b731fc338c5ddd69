import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { z } from "zod";
import { RevokedNote, RoundWindows } from "~/components/plaques";
import { RecordList } from "~/components/page-parts";
import { PlaqueBadge } from "~/components/directory";
import { holdersOf, listRounds, plaqueYears } from "~/domain/badges/selection.server";
import { clockNow } from "~/lib/clock.server";
import { plaqueKinds } from "~/domain/vocabularies";

const yearParam = z.coerce.number().int().min(2000).max(2100);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const now = clockNow();
  const [years, rounds] = await Promise.all([plaqueYears(context.db), listRounds(context.db, now)]);
  const asked = yearParam.safeParse(new URL(request.url).searchParams.get("year"));
  // By default the latest year that has a plaque; a year with only an open round has no holders yet.
  const withAwards = rounds.filter((r) => r.awarded > 0).map((r) => r.year);
  const year = asked.success ? asked.data : (withAwards[0] ?? years[0] ?? now.getFullYear());
  const holders = await holdersOf(context.db, year);
  return {
    year,
    years,
    rounds,
    holders,
  };
}

export const meta: MetaFunction<typeof loader> = ({ matches }) => pageMeta(matches, "plaques");

export default function Plaques() {
  const { year, years, rounds, holders } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const open = rounds.filter((r) => r.phase === "nominating");
  return (
    <section className="stack plaques">
      <h1>{t("plaques.title")}</h1>
      <p>{t("plaques.intro")}</p>
      {open.length > 0 ? (
        <section className="card stack" data-testid="open-rounds">
          <h2>{t("plaques.openRounds")}</h2>
          {open.map((r) => (
            <div key={r.id} className="stack">
              <p>
                <PlaqueBadge kind={r.kind} year={r.year} />
              </p>
              <dl className="facts">
                <RoundWindows round={r} />
              </dl>
              <Link className="button button--primary" to={`/plaques/rounds/${r.id}`}>
                {t("plaques.nominateCta")}
              </Link>
            </div>
          ))}
        </section>
      ) : null}
      <nav aria-label={t("plaques.years")} className="year-tabs">
        {years.map((y) => (
          <Link
            key={y}
            to={`/plaques?year=${y}`}
            aria-current={y === year ? "page" : undefined}
            className={y === year ? "button button--primary" : "button"}
          >
            {y}
          </Link>
        ))}
      </nav>
      <h2>{t("plaques.holdersTitle", { year })}</h2>
      {plaqueKinds.map((kind) => {
        const list = holders.filter((h) => h.kind === kind);
        return (
          <section key={kind} className="stack" data-testid={`holders-${kind}`}>
            <h3>
              <PlaqueBadge kind={kind} />
            </h3>
            <RecordList items={list} empty={t("plaques.noHolders")} className="holder-list">
              {(h) => (
                <li key={h.code} className={h.revokedAt ? "holder holder--revoked" : "holder"} data-code={h.code}>
                  <Link to={`/shops/${h.businessId}`}>{h.businessName}</Link>{" "}
                  <span className="muted small">{h.businessCode}</span>
                  {h.revokedAt ? <RevokedNote at={h.revokedAt} reason={h.revokeReason} /> : null}
                  <p className="small">
                    <Link to={`/verify/${h.code}`}>{t("plaques.verify")}</Link>
                  </p>
                </li>
              )}
            </RecordList>
          </section>
        );
      })}
      <h2>{t("plaques.history")}</h2>
      <RecordList items={rounds} empty={t("plaques.noRounds")} className="round-list" testId="rounds">
        {(r) => (
          <li key={r.id} className="card stack" data-round-id={r.id}>
            <p>
              <strong>{t("plaques.roundTitle", { year: r.year, plaque: t(`plaques.kinds.${r.kind}`) })}</strong>{" "}
              <span className="badge">{t(`plaques.phase.${r.phase}`)}</span>
            </p>
            <p className="small">
              {t("plaques.counts.nominations")} {r.nominations} · {t("plaques.counts.awarded")} {r.awarded} ·{" "}
              {t("plaques.counts.declined")} {r.declined}
              {r.phase === "closed" && r.undecided > 0
                ? ` · ${t("plaques.counts.undecided")} ${r.undecided}`
                : ""} · {t("plaques.counts.revoked")} {r.revoked}
            </p>
            <Link to={`/plaques/rounds/${r.id}`}>{t("plaques.viewRound")}</Link>
          </li>
        )}
      </RecordList>
    </section>
  );
}
