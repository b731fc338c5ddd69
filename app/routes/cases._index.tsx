import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { pageMeta } from "~/i18n/meta";
import { useTranslation } from "~/i18n/react";
import { CaseLookup } from "~/components/trust";
import { myCases } from "~/domain/feedback/complaints.server";
import { normalizeCaseNumber } from "~/domain/feedback/standing";
import { formatDateTime } from "~/lib/time";
import { Notice, RecordList } from "~/components/page-parts";

/** 投诉进展查询: enter a case number (from a verify page), and the signed-in person's own cases. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const typed = new URL(request.url).searchParams.get("number");
  if (typed !== null) {
    const number = normalizeCaseNumber(typed.slice(0, 40));
    if (number) throw redirect(`/cases/${number}`);
  }
  return {
    invalid: typed !== null,
    typed: typed?.slice(0, 40) ?? "",
    mine: context.actor ? await myCases(context.db, context.actor) : null,
  };
}

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "cases", { noindex: true });

export default function Cases() {
  const { invalid, typed, mine } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language === "en" ? "en" : "zh-CN";
  return (
    <section className="narrow stack desk">
      <h1>{t("trust.cases.title")}</h1>
      {invalid ? <Notice ok={false}>{t("trust.cases.invalid")}</Notice> : null}
      <CaseLookup defaultValue={typed} />
      {mine ? (
        <>
          <h2>{t("trust.cases.mine")}</h2>
          <RecordList items={mine} empty={t("trust.cases.none")} className="desk__list" testId="my-cases">
            {(c) => (
              <li key={c.caseNumber}>
                <Link to={`/cases/${c.caseNumber}`}>{c.caseNumber}</Link> {c.businessName}
                <br />
                <span className="muted small">{formatDateTime(c.createdAt, locale)}</span>
              </li>
            )}
          </RecordList>
        </>
      ) : null}
    </section>
  );
}
