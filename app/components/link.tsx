import {
  Link as RemixLink,
  NavLink as RemixNavLink,
  useLocation,
  useNavigate,
  type LinkProps,
  type NavLinkProps,
  type NavigateFunction,
} from "@remix-run/react";
import { createContext, forwardRef, useContext, type MouseEvent, type ReactNode } from "react";

/**
 * `Link` and `NavLink` as Remix has them, for the links this site writes almost everywhere: a path
 * of its own as a string ("/shops/12", "/map?q=面"). Remix resolves every link through the router
 * on each render (a JSON round trip of the route matches, a click handler with its own navigate,
 * location and resolved path, the prefetch state); on a server page with 20 to 40 links that was
 * 5–9 % of the CPU of a page (docs/decisions/045). For such a path the resolved href is the path
 * itself, so these render the same anchor (href, class, aria-current, data-discover) and navigate
 * the same way on a click, with one context read each. Anything else (an object `to`, a relative
 * path, another site, prefetching) goes to Remix's own components.
 */

const NavigateContext = createContext<NavigateFunction | null>(null);

/** Gives the links below one navigate function (the root layout renders it once a page). */
export function LinkNavigation({ children }: { children: ReactNode }) {
  return <NavigateContext.Provider value={useNavigate()}>{children}</NavigateContext.Provider>;
}

/** A link to a path of this site, written out, without prefetching: the only kind the fast links take. */
function isOwnPath(to: LinkProps["to"], prefetch: LinkProps["prefetch"]): to is string {
  return (
    typeof to === "string" &&
    to.startsWith("/") &&
    !to.startsWith("//") &&
    !/\/\.\.?(\/|$|\?|#)/.test(to) &&
    (!prefetch || prefetch === "none")
  );
}

function isPlainLeftClick(event: MouseEvent<HTMLAnchorElement>, target: string | undefined) {
  return (
    event.button === 0 &&
    (!target || target === "_self") &&
    !(event.metaKey || event.altKey || event.ctrlKey || event.shiftKey)
  );
}

/** The path part of an own path: what NavLink compares with the location. */
function pathnameOf(to: string) {
  const end = to.search(/[?#]/);
  return end === -1 ? to : to.slice(0, end);
}

/** Props of a link that are not attributes of its anchor. */
const linkOnly = new Set([
  "to",
  "replace",
  "state",
  "preventScrollReset",
  "viewTransition",
  "reloadDocument",
  "relative",
  "discover",
  "prefetch",
  "onClick",
  "end",
  "caseSensitive",
  "className",
  "style",
  "children",
  "aria-current",
]);

/**
 * The anchor for an own path, with the attributes `props` gives it (copied in one loop: a rest
 * pattern with this many names left out costs more than the rest of a link).
 */
function anchorAttributes(
  props: LinkProps & { to: string },
  navigate: NavigateFunction | null,
  shown: Pick<LinkProps, "className" | "style" | "aria-current">,
) {
  const attributes: Record<string, unknown> = {};
  for (const key in props) if (!linkOnly.has(key)) attributes[key] = props[key as keyof typeof props];
  const { to, reloadDocument, target, onClick } = props;
  attributes.href = to;
  attributes.className = shown.className;
  attributes.style = shown.style;
  attributes["aria-current"] = shown["aria-current"];
  attributes["data-discover"] = (props.discover ?? "render") === "render" && !reloadDocument ? "true" : undefined;
  attributes.onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || reloadDocument || !navigate || !isPlainLeftClick(event, target)) return;
    event.preventDefault();
    // As react-router's links do: a link to the page one is on replaces it in the history.
    const here = window.location.pathname + window.location.search + window.location.hash;
    const { replace, state, preventScrollReset, viewTransition } = props;
    navigate(to, { replace: replace ?? here === to, state, preventScrollReset, viewTransition });
  };
  return attributes;
}

export const Link = forwardRef<HTMLAnchorElement, LinkProps>(function Link(props, ref) {
  const navigate = useContext(NavigateContext);
  const { to, prefetch } = props;
  if (!isOwnPath(to, prefetch)) return <RemixLink {...props} ref={ref} />;
  return (
    <a {...anchorAttributes(props as LinkProps & { to: string }, navigate, props)} ref={ref}>
      {props.children}
    </a>
  );
});

export const NavLink = forwardRef<HTMLAnchorElement, NavLinkProps>(function NavLink(props, ref) {
  const navigate = useContext(NavigateContext);
  const { pathname } = useLocation();
  const { to, prefetch } = props;
  if (!isOwnPath(to, prefetch)) return <RemixNavLink {...props} ref={ref} />;
  const { end = false, caseSensitive = false, className, style, children } = props;
  // NavLink's own rule: the location is the link's path, or (unless `end`) below it.
  let here = pathname;
  let there = pathnameOf(to);
  if (!caseSensitive) {
    here = here.toLowerCase();
    there = there.toLowerCase();
  }
  const slash = there !== "/" && there.endsWith("/") ? there.length - 1 : there.length;
  const isActive = here === there || (!end && here.startsWith(there) && here.charAt(slash) === "/");
  // Pending and view-transition states are not rendered by this site: they stay false.
  const state = { isActive, isPending: false, isTransitioning: false };
  const attributes = anchorAttributes(props as LinkProps & { to: string }, navigate, {
    "aria-current": isActive ? (props["aria-current"] ?? "page") : undefined,
    className:
      typeof className === "function"
        ? className(state)
        : [className, isActive ? "active" : null].filter(Boolean).join(" "),
    style: typeof style === "function" ? style(state) : style,
  });
  return (
    <a {...attributes} ref={ref}>
      {typeof children === "function" ? children(state) : children}
    </a>
  );
});
