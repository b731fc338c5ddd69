import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useMemo, type ReactNode } from "react";
import { I18nextProvider, useTranslation } from "react-i18next";
import { useNonce } from "./components/nonce";
import { useRequestId } from "./components/request-id";
import { isAdmin, isOfficer, isStaff } from "./domain/accounts/actor";
import { unreadCount } from "./domain/notifications/notifications.server";
import { createI18n } from "./i18n/i18n";
import { defaultLocale } from "./i18n/locales";
import appCss from "./styles/app.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: appCss },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "信圈 Xinquan" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const { actor, db, locale, requestId } = context;
  return {
    locale,
    requestId,
    viewer: actor
      ? {
          displayName: actor.displayName,
          roles: actor.roles,
          isStaff: isStaff(actor),
          isOfficer: isOfficer(actor),
          isAdmin: isAdmin(actor),
          unread: await unreadCount(db, actor.userId),
        }
      : null,
  };
}

export type RootData = Awaited<ReturnType<typeof loader>>;

export function useRootData(): RootData | undefined {
  return useRouteLoaderData<typeof loader>("root");
}

export function Layout({ children }: { children: ReactNode }) {
  const root = useRootData();
  const locale = root?.locale ?? defaultLocale;
  const i18n = useMemo(() => createI18n(locale), [locale]);
  const nonce = useNonce();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#b91c1c" />
        <Meta />
        <Links />
      </head>
      <body>
        <I18nextProvider i18n={i18n}>
          <SiteHeader />
          <main id="main" className="page">
            {children}
          </main>
          <SiteFooter />
        </I18nextProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function SiteHeader() {
  const { t } = useTranslation();
  const root = useRootData();
  const viewer = root?.viewer;
  const location = useLocation();
  const here = location.pathname + location.search;
  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        {t("app.skipToContent")}
      </a>
      <div className="site-header__bar">
        <Link to="/" className="brand" aria-label={t("app.fullName")}>
          <span className="brand__mark" aria-hidden="true">
            信
          </span>
          <span className="brand__name">{t("app.name")}</span>
        </Link>
        <div className="site-header__tools">
          {viewer ? (
            <Link
              to="/notifications"
              className="bell"
              aria-label={
                viewer.unread > 0 ? t("nav.notificationsUnread", { count: viewer.unread }) : t("nav.notifications")
              }
              data-testid="bell"
            >
              <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22">
                <path
                  fill="currentColor"
                  d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z"
                />
              </svg>
              {viewer.unread > 0 ? (
                <span className="bell__count" data-testid="unread-count">
                  {viewer.unread > 99 ? "99+" : viewer.unread}
                </span>
              ) : null}
            </Link>
          ) : null}
          <Form method="post" action="/locale" className="lang-switch" reloadDocument>
            <input type="hidden" name="redirectTo" value={here} />
            <input type="hidden" name="locale" value={root?.locale === "en" ? "zh-CN" : "en"} />
            <button type="submit" className="button button--quiet" lang={root?.locale === "en" ? "zh-CN" : "en"}>
              {t("nav.switchTo")}
            </button>
          </Form>
        </div>
      </div>
      <nav className="site-nav" aria-label={t("nav.menu")}>
        <NavLink to="/" end>
          {t("nav.home")}
        </NavLink>
        <NavLink to="/shops">{t("nav.shops")}</NavLink>
        <NavLink to="/map">{t("nav.map")}</NavLink>
        <NavLink to="/live">{t("nav.live")}</NavLink>
        <NavLink to="/alliance">{t("nav.alliance")}</NavLink>
        <NavLink to={viewer?.isStaff || viewer?.isOfficer ? "/desk" : "/feedback"}>{t("nav.desk")}</NavLink>
        <NavLink to="/cart">{t("nav.cart")}</NavLink>
        {viewer ? (
          <>
            <NavLink to="/orders">{t("nav.orders")}</NavLink>
            <NavLink to="/account">{t("nav.account")}</NavLink>
            {viewer.isStaff || viewer.isAdmin ? <NavLink to="/admin">{t("nav.admin")}</NavLink> : null}
            <Form method="post" action="/logout" className="site-nav__form">
              <button type="submit" className="link-button">
                {t("nav.logout")}
              </button>
            </Form>
          </>
        ) : (
          <>
            <NavLink to={`/login?redirectTo=${encodeURIComponent(here)}`}>{t("nav.login")}</NavLink>
            <NavLink to="/register">{t("nav.register")}</NavLink>
          </>
        )}
      </nav>
    </header>
  );
}

function SiteFooter() {
  const { t } = useTranslation();
  return (
    <footer className="site-footer">
      <p>{t("app.fullName")}</p>
      <p className="muted">{t("app.demoNotice")}</p>
    </footer>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const root = useRootData();
  const errorId = useRequestId() || root?.requestId;
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const [title, body] =
    status === 404
      ? [t("errorPages.notFoundTitle"), t("errorPages.notFoundBody")]
      : status === 403
        ? [t("errorPages.forbiddenTitle"), t("errorPages.forbiddenBody")]
        : status === 400 && isRouteErrorResponse(error)
          ? [t("errors.invalid"), t(String((error.data as { code?: string })?.code ?? "errors.invalid"))]
          : [t("errorPages.serverErrorTitle"), t("errorPages.serverErrorBody")];
  return (
    <section className="error-page" data-status={status}>
      <p className="error-page__status">{status}</p>
      <h1>{title}</h1>
      <p>{body}</p>
      {status >= 500 && errorId ? (
        <p className="muted" data-testid="error-id">
          {t("errorPages.errorId", { id: errorId })}
        </p>
      ) : null}
      <p>
        <Link to="/">{t("errorPages.backHome")}</Link>
      </p>
    </section>
  );
}
