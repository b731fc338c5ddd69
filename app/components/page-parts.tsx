import type { ReactNode } from "react";
import { Form, isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { Link } from "~/components/link";
import type { Locale } from "~/i18n/locales";
import { useTranslation } from "~/i18n/react";

// Small pieces many pages are built of. No form library here: the directory (/shops) uses them too.

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

/** An error boundary's "not found" page: `children` when the route answered 404; any other error goes on up. */
export function NotFoundBoundary({ children }: { children: ReactNode }) {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <>{children}</>;
  throw error;
}

/**
 * A <select> over a fixed vocabulary, each value labelled by the message `${messages}.${value}`;
 * `anyLabel` adds a first, empty choice.
 */
export function VocabularySelect<V extends string>({
  id,
  name,
  values,
  messages,
  defaultValue,
  anyLabel,
}: {
  id: string;
  name: string;
  values: readonly V[];
  messages: string;
  defaultValue?: string;
  anyLabel?: string;
}) {
  const { t } = useTranslation();
  return (
    <select id={id} name={name} defaultValue={defaultValue}>
      {anyLabel !== undefined ? <option value="">{anyLabel}</option> : null}
      {values.map((v) => (
        <option key={v} value={v}>
          {t(`${messages}.${v}`)}
        </option>
      ))}
    </select>
  );
}

/** A line that tells the reader how a form went: ok (a status) or refused (an alert). */
export function Notice({ ok = true, testId, children }: { ok?: boolean; testId?: string; children: ReactNode }) {
  return ok ? (
    <p className="notice-ok" role="status" data-testid={testId}>
      {children}
    </p>
  ) : (
    <p className="form-errors" role="alert" data-testid={testId}>
      {children}
    </p>
  );
}

/** A page's body: its title, then (if it has one) the paragraph that says what the page is for. */
export function PageSection({
  className,
  title,
  intro,
  children,
}: {
  className: string;
  title: string;
  intro?: string;
  children: ReactNode;
}) {
  return (
    <section className={className}>
      <h1>{title}</h1>
      {intro ? <p>{intro}</p> : null}
      {children}
    </section>
  );
}

/** What a page for business owners shows someone with no business of their own: why, and how to claim one. */
export function NeedsBusiness({ title, reason }: { title: string; reason: string }) {
  const { t } = useTranslation();
  return (
    <PageSection className="narrow stack" title={title} intro={reason}>
      <OnwardLink to="/account/claim">{t("home.claimCta")}</OnwardLink>
    </PageSection>
  );
}

/** One entry of a list of links (a menu, "more pages"). */
export function LinkItem({ to, children }: { to: string; children: ReactNode }) {
  return (
    <li>
      <Link to={to}>{children}</Link>
    </li>
  );
}

/** A paragraph that is one link onward ("Have an account? Sign in"). */
export function OnwardLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <p>
      <Link to={to}>{children}</Link>
    </p>
  );
}

/** A link drawn as a button; `primary` for the page's main way on. */
export function ButtonLink({ to, primary = false, children }: { to: string; primary?: boolean; children: ReactNode }) {
  return (
    <Link className={primary ? "button button--primary" : "button"} to={to}>
      {children}
    </Link>
  );
}

/** A label only screen readers read (the field's purpose is plain from what stands around it). */
export function HiddenLabel({ htmlFor, children }: { htmlFor: string; children: ReactNode }) {
  return (
    <label htmlFor={htmlFor} className="visually-hidden">
      {children}
    </label>
  );
}

/** A table's header row: one column header a name. */
export function TableHead({ columns }: { columns: readonly string[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => (
          <th key={column} scope="col">
            {column}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** A table that scrolls sideways on a narrow screen; `columns` names its header row, if it has one. */
export function WideTable({
  className,
  columns,
  children,
}: {
  className?: string;
  columns?: readonly string[];
  children: ReactNode;
}) {
  return (
    <div className="table-wrap">
      <table className={className}>
        {columns ? <TableHead columns={columns} /> : null}
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** A plain form's refusal (a message key) under the field it names, when that is `field`. */
export function FieldRefusal({
  result,
  field,
}: {
  result?: { field?: string | null; error: string } | null;
  field: string;
}) {
  const { t } = useTranslation();
  return result?.field === field ? (
    <p className="field__errors" role="alert">
      {t(result.error)}
    </p>
  ) : null;
}

/** The <option>s of a select: a value and the words shown for it. */
export function Options({ options }: { options: readonly { value: string; label: string }[] }) {
  return (
    <>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </>
  );
}
