import { data, redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { translatorOf, useTranslation } from "~/i18n/react";
import { BusinessCard, DirectoryFilterForm } from "~/components/directory";
import { parseDirectoryFilters } from "~/domain/directory/filters";
import { filtersToSearch } from "~/domain/directory/query-string";
import { directoryOptions, searchDirectory } from "~/domain/directory/search.server";
import { createI18n } from "~/i18n/i18n";
import { withoutEmptyParams } from "~/lib/query.server";
import { Notice } from "~/components/page-parts";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const clean = withoutEmptyParams(url);
  if (clean) throw redirect(clean);
  const parsed = parseDirectoryFilters(url.searchParams);
  // A search with control characters is not a search anyone typed: refused, not silently dropped.
  if (!parsed.ok && parsed.message === "security.controlChars") throw data({ code: parsed.message }, { status: 400 });
  const [result, options] = await Promise.all([
    searchDirectory(context.db, parsed.filters),
    directoryOptions(context.db),
  ]);
  const t = translatorOf(createI18n(context.locale));
  return {
    filters: parsed.filters,
    ignored: parsed.ok ? null : { parameter: parsed.parameter, message: parsed.message },
    result,
    options,
    meta: {
      title: `${t("directory.title")} · ${t("app.name")}`,
      description: t("directory.metaDescription", { count: result.total }),
    },
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: data.meta.title }, { name: "description", content: data.meta.description }] : [];

export default function Shops() {
  const { filters, ignored, result, options } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <section className="stack">
      <h1>{t("directory.title")}</h1>
      <DirectoryFilterForm key={filtersToSearch(filters)} action="/shops" filters={filters} options={options} />
      {ignored ? (
        <Notice ok={false}>
          {t("directory.ignoredFilter", { parameter: ignored.parameter, message: t(ignored.message) })}
        </Notice>
      ) : null}
      <div className="results-bar">
        <p className="results-bar__total" role="status" data-testid="total">
          {t("directory.total", { count: result.total })}
        </p>
        <Link to={`/map${filtersToSearch(filters, { page: undefined })}`}>{t("directory.onMap")}</Link>
        <Link to="/plaques">{t("plaques.title")}</Link>
      </div>
      {result.items.length === 0 ? <p className="muted">{t("directory.noResults")}</p> : null}
      <ul className="business-list">
        {result.items.map((entry) => (
          <BusinessCard key={entry.id} entry={entry} />
        ))}
      </ul>
      {result.pages > 1 ? (
        <nav className="pager" aria-label={t("directory.pageOf", { page: result.page, pages: result.pages })}>
          {result.page > 1 ? (
            <Link rel="prev" to={`/shops${filtersToSearch(filters, { page: result.page - 1 })}`} className="button">
              {t("directory.previous")}
            </Link>
          ) : (
            <span />
          )}
          <span>{t("directory.pageOf", { page: result.page, pages: result.pages })}</span>
          {result.page < result.pages ? (
            <Link rel="next" to={`/shops${filtersToSearch(filters, { page: result.page + 1 })}`} className="button">
              {t("directory.next")}
            </Link>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
    </section>
  );
}
