// First: configures zod before any route module builds a schema (see the module).
import "./lib/zod-config";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { Link, LinkNavigation, NavLink } from "./components/link";
import { useMemo, type ReactNode } from "react";
import { I18nProvider, useTranslation } from "./i18n/react";
import { useNonce } from "./components/nonce";
import { useRequestId } from "./components/request-id";
import { isAdmin, isOfficer, isStaff } from "./domain/accounts/actor";
import { cartItemCount } from "./domain/market/cart-cookie.server";
import { headerCounts } from "./domain/accounts/header-counts.server";
import { createI18n } from "./i18n/i18n";
import { pageMeta } from "./i18n/meta";
import { defaultLocale } from "./i18n/locales";
import appCss from "./styles/app.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: appCss },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = ({ matches, error }) =>
  pageMeta(matches, isRouteErrorResponse(error) && error.status === 404 ? "notFound" : "home");

export async function loader({ context, request }: LoaderFunctionArgs) {
  const { actor, db, locale, requestId } = context;
  // Signed in: the cart's and the bell's counts in one query; otherwise the cart is the cookie's.
  const counts = actor ? await headerCounts(db, actor.userId) : null;
  return {
    locale,
    requestId,
    cartCount: counts ? counts.cart : await cartItemCount(context, request),
    viewer: actor
      ? {
          displayName: actor.displayName,
          roles: actor.roles,
          isStaff: isStaff(actor),
          isOfficer: isOfficer(actor),
          isAdmin: isAdmin(actor),
          unread: counts?.unread ?? 0,
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
        <I18nProvider i18n={i18n}>
          <LinkNavigation>
            <SiteHeader />
            <main id="main" className="page">
              {children}
            </main>
            <SiteFooter />
            <TabBar />
          </LinkNavigation>
        </I18nProvider>
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
        {/* Named by its visible text (a screen reader hears what a sighted user reads), then the rest. */}
        <Link to="/" className="brand">
          <span className="brand__mark" aria-hidden="true">
            信
          </span>
          <span className="brand__name">{t("app.name")}</span>
          <span className="visually-hidden">{t("app.fullNameRest")}</span>
        </Link>
        <div className="site-header__tools">
          <CartLink className="header-cart" count={root?.cartCount ?? 0} testId="header-cart" />
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
                <span className="badge-count" data-testid="unread-count">
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

function CartIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22">
      <path
        fill="currentColor"
        d="M7 18a2 2 0 1 0 0 4 2 2 0 0 0 0-4Zm10 0a2 2 0 1 0 0 4 2 2 0 0 0 0-4ZM1 2v2h2l3.6 7.6-1.35 2.4A2 2 0 0 0 7 17h12v-2H7.4l1.1-2h7.45a2 2 0 0 0 1.75-1.03l3.58-6.49A1 1 0 0 0 20.4 4H5.2l-.94-2Z"
      />
    </svg>
  );
}

/** The cart with how many items it holds: in the header, and as a tab on phones. */
function CartLink({ className, count, testId }: { className: string; count: number; testId: string }) {
  const { t } = useTranslation();
  return (
    <NavLink
      to="/cart"
      className={className}
      aria-label={count > 0 ? t("nav.cartCount", { count }) : t("nav.cart")}
      data-testid={testId}
    >
      <CartIcon />
      {/* The space keeps the visible "购物车 1" inside the name "购物车 1 件" (axe: label-content-name-mismatch). */}
      {className === "tab-bar__tab" ? <span className="tab-bar__label">{t("nav.cart")} </span> : null}
      {count > 0 ? <span className="badge-count">{count > 99 ? "99+" : count}</span> : null}
    </NavLink>
  );
}

const tabIcons = {
  home: "M12 3 2 12h3v8h6v-6h2v6h6v-8h3L12 3Z",
  shops: "M10 4a6 6 0 1 0 3.6 10.8l5.3 5.3 1.4-1.4-5.3-5.3A6 6 0 0 0 10 4Zm0 2a4 4 0 1 1 0 8 4 4 0 0 1 0-8Z",
  live: "M3 6h12a2 2 0 0 1 2 2v2.5l4-2.5v8l-4-2.5V16a2 2 0 0 1-2 2H3a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2Z",
  me: "M12 12a5 5 0 1 0 0-10 5 5 0 0 0 0 10Zm0 2c-4.4 0-8 2.2-8 5v3h16v-3c0-2.8-3.6-5-8-5Z",
} as const;

function Tab({
  to,
  icon,
  label,
  end,
  active,
}: {
  to: string;
  icon: keyof typeof tabIcons;
  label: string;
  end?: boolean;
  active?: boolean;
}) {
  const content = (
    <>
      <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22">
        <path fill="currentColor" d={tabIcons[icon]} />
      </svg>
      <span className="tab-bar__label">{label}</span>
    </>
  );
  // 我的 stands for several pages (account, orders, messages, signing in): it is current on each of them.
  if (active)
    return (
      <Link to={to} className="tab-bar__tab active" aria-current="page">
        {content}
      </Link>
    );
  return (
    <NavLink to={to} end={end} className={({ isActive }) => `tab-bar__tab${isActive ? " active" : ""}`}>
      {content}
    </NavLink>
  );
}

/**
 * On a phone the header's links give way to a tab bar at the bottom, as Chinese shopping apps
 * have it: home, shops, live, the cart with its count, and 我的 (everything else).
 */
function TabBar() {
  const { t } = useTranslation();
  const root = useRootData();
  const { pathname } = useLocation();
  const mine = /^\/(me|account|orders|notifications|login|register|admin)(\/|$)/.test(pathname);
  return (
    <nav className="tab-bar" aria-label={t("nav.tabs")}>
      <Tab to="/" end icon="home" label={t("nav.home")} />
      <Tab to="/shops" icon="shops" label={t("nav.shops")} />
      <Tab to="/live" icon="live" label={t("nav.liveTab")} />
      <CartLink className="tab-bar__tab" count={root?.cartCount ?? 0} testId="tab-cart" />
      <Tab to="/me" icon="me" label={t("nav.account")} active={mine} />
    </nav>
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
