import type { ReactNode } from "react";
import { Form, Link, isRouteErrorResponse, useRouteError } from "@remix-run/react";
import type { Locale } from "~/i18n/locales";
import { useTranslation } from "~/i18n/react";

/** The reader's locale, for formatDateTime and the like. */
export function useLocale(): Locale {
  return useTranslation().i18n.language as Locale;
}

/** A page's title, under a "← back" link to the page it belongs to when `back` is given. */
export function PageHeading({ title, back }: { title: ReactNode; back?: { to: string; label: string } }) {
  return (
    <>
      {back ? (
        <p>
          <Link to={back.to}>← {back.label}</Link>
        </p>
      ) : null}
      <h1>{title}</h1>
    </>
  );
}

/** A plain form folded away (in a card unless `card` is false): the summary names it, the form posts to the current route. */
export function FoldedForm({
  summary,
  card = true,
  children,
}: {
  summary: ReactNode;
  card?: boolean;
  children: ReactNode;
}) {
  return (
    <details className={card ? "card" : undefined}>
      <summary>{summary}</summary>
      <Form method="post" className="stack">
        {children}
      </Form>
    </details>
  );
}

/**
 * A list of records, or a muted line saying there are none (the list is rendered even then, so
 * tests and styles find it). `children` draws one record as an <li>.
 */
export function RecordList<T>({
  items,
  empty,
  className,
  testId,
  children,
}: {
  items: readonly T[];
  empty: string;
  className: string;
  testId?: string;
  children: (item: T) => ReactNode;
}) {
  return (
    <>
      {items.length === 0 ? <p className="muted">{empty}</p> : null}
      <ul className={className} data-testid={testId}>
        {items.map(children)}
      </ul>
    </>
  );
}

/** A line that tells the reader how a form went: ok (a status) or refused (an alert). */
export function Notice({ ok, children }: { ok: boolean; children: ReactNode }) {
  return ok ? (
    <p className="notice-ok" role="status">
      {children}
    </p>
  ) : (
    <p className="form-errors" role="alert">
      {children}
    </p>
  );
}

/** An error boundary's "not found" page: `children` when the route answered 404; any other error goes on up. */
export function NotFoundBoundary({ children }: { children: ReactNode }) {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <>{children}</>;
  throw error;
}

/** A <select> over a fixed vocabulary, each value labelled by `labelOf`; `anyLabel` adds a first, empty choice. */
export function VocabularySelect<V extends string>({
  id,
  name,
  values,
  labelOf,
  defaultValue,
  anyLabel,
}: {
  id: string;
  name: string;
  values: readonly V[];
  labelOf: (value: V) => string;
  defaultValue?: string;
  anyLabel?: string;
}) {
  return (
    <select id={id} name={name} defaultValue={defaultValue}>
      {anyLabel !== undefined ? <option value="">{anyLabel}</option> : null}
      {values.map((v) => (
        <option key={v} value={v}>
          {labelOf(v)}
        </option>
      ))}
    </select>
  );
}
