import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { Link } from "~/components/link";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "~/i18n/react";
import { DirectoryFilterForm, GridContacts, RatingBadge } from "~/components/directory";
import { MapCanvas, MapSheet, useHydrated } from "~/components/district-map";
import { useLocalizedName } from "~/components/localized";
import type { MapPoint } from "~/domain/directory/map-points";
import { parseDirectoryFilters, type DirectoryFilters } from "~/domain/directory/filters";
import { filtersToSearch } from "~/domain/directory/query-string";
import { districtMap } from "~/domain/directory/map.server";
import { directoryOptions, searchDirectory } from "~/domain/directory/search.server";
import { withoutEmptyParams } from "~/lib/query.server";
import { Notice } from "~/components/page-parts";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const clean = withoutEmptyParams(url);
  if (clean) throw redirect(clean);
  const parsed = parseDirectoryFilters(url.searchParams);
  const filters = parsed.filters;
  const [map, options, listed] = await Promise.all([
    districtMap(context.db, filters),
    directoryOptions(context.db),
    filters.grid ? searchDirectory(context.db, { ...filters, page: 1, perPage: 30 }) : Promise.resolve(null),
  ]);
  return {
    filters,
    ignored: parsed.ok ? null : { parameter: parsed.parameter, message: parsed.message },
    // Named one by one: the map's points go as one string, and its matching businesses only when
    // the map highlights them (without filters every open business matches).
    map: {
      grids: map.grids,
      streets: map.streets,
      places: map.places,
      points: map.encodedPoints,
      matching: narrowed(filters) || filters.grid ? map.matching : [],
      matchingCount: map.matchingCount,
    },
    options,
    listed,
  };
}

/** Whether a filter other than the grid narrows the businesses (the map then dims the others). */
function narrowed(filters: DirectoryFilters) {
  return Boolean(
    filters.q ||
    filters.kind ||
    filters.category ||
    filters.street ||
    filters.microGrid ||
    filters.plaque ||
    filters.open ||
    filters.night,
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches }) => pageMeta(matches, "map");

/** The map's key: each swatch's class suffix and what it marks. */
const mapLegend = [
  ["occupied", "directory.map.occupied"],
  ["vacant", "directory.map.vacant"],
  ["stall", "directory.map.stall"],
  ["match", "directory.map.matching"],
  ["place", "directory.map.place"],
] as const;

export default function DistrictMap() {
  const { filters, ignored, map, options, listed } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const english = i18n.language === "en";
  const name = useLocalizedName();
  const navigate = useNavigate();
  const filtered = narrowed(filters);
  const selected = map.grids.find((g) => g.code === filters.grid);
  const search = filtersToSearch(filters);
  const withGrid = useCallback(
    (grid: string | undefined) => `/map${filtersToSearch(filters, { grid, microGrid: undefined, page: undefined })}`,
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the filters are the same while their query string is
    [search],
  );
  // Without JavaScript a grid link loads the page scrolled to the grid's panel.
  const gridHref = useCallback((code: string) => `${withGrid(code)}#grid-panel`, [withGrid]);

  // In the browser: the shop picked on the map, where focus was before a panel opened, and
  // whether the page is hydrated (panels are bottom sheets then).
  const [shop, setShop] = useState<MapPoint | null>(null);
  const enhanced = useHydrated();
  const opener = useRef<Element | null>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const remember = () => {
    if (document.activeElement && document.activeElement !== document.body) opener.current = document.activeElement;
  };
  const openGrid = useCallback(
    (code: string) => {
      remember();
      setShop(null);
      navigate(withGrid(code), { preventScrollReset: true });
    },
    [navigate, withGrid],
  );
  const openPoint = useCallback((point: MapPoint) => {
    remember();
    setShop(point);
  }, []);
  const restoreFocus = () => {
    const back = opener.current;
    opener.current = null;
    requestAnimationFrame(() => {
      if (back instanceof HTMLElement || back instanceof SVGElement) {
        if (back.isConnected) return back.focus({ preventScroll: true });
      }
      wrapRef.current?.focus({ preventScroll: true });
    });
  };
  const close = useCallback(() => {
    if (shop) setShop(null);
    else navigate(withGrid(undefined), { preventScrollReset: true });
    restoreFocus();
  }, [shop, navigate, withGrid]);

  const sheetKey = shop ? `shop:${shop.x},${shop.y}` : (selected?.code ?? null);
  useEffect(() => {
    if (!enhanced || !sheetKey) return;
    headingRef.current?.focus({ preventScroll: true });
    revealAbove(wrapRef.current, headingRef.current?.closest(".map-sheet"));
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") close();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [enhanced, sheetKey, close]);

  const microGrids = useMemo(() => new Map(map.grids.flatMap((g) => g.microGrids).map((mg) => [mg.id, mg])), [map]);
  const shopMicroGrid = shop ? microGrids.get(shop.microGridId) : undefined;
  const canvasData = useMemo(() => ({ ...map, points: map.points, matching: map.matching }), [map]);

  return (
    <section className="stack">
      <h1>{t("directory.map.title")}</h1>
      <p className="muted">{t("directory.map.intro")}</p>
      <DirectoryFilterForm key={search} action="/map" filters={filters} options={options} gridShownElsewhere />
      {ignored ? (
        <Notice ok={false}>
          {t("directory.ignoredFilter", { parameter: ignored.parameter, message: t(ignored.message) })}
        </Notice>
      ) : null}
      <p role="status" data-testid="map-matching">
        {t("directory.map.matchingCount", { count: map.matchingCount })}
      </p>
      <MapCanvas
        data={canvasData}
        selectedGrid={selected?.code}
        dimmed={filtered || Boolean(selected)}
        gridHref={gridHref}
        onGrid={openGrid}
        onPoint={openPoint}
        picked={shop}
        wrapRef={wrapRef}
      />
      {/* Dragging and zooming need the page's scripts. */}
      {enhanced ? <p className="small muted">{t("directory.map.hint")}</p> : null}
      <ul className="map-legend" aria-label={t("directory.map.legend")}>
        {mapLegend.map(([swatch, label]) => (
          <li key={swatch}>
            <span className={`swatch swatch--${swatch}`} /> {t(label)}
          </li>
        ))}
      </ul>

      {shop ? (
        <MapSheet
          id="shop-panel"
          testId="shop-panel"
          title={
            shop.name ?? t(shop.place === "stall" ? "directory.map.vacantStall" : "directory.map.vacantStorefront")
          }
          floating
          closeHref={withGrid(selected?.code)}
          closeLabel={t("directory.map.close")}
          onClose={close}
          headingRef={headingRef}
        >
          <p className="muted">
            {t(`directory.map.pointKinds.${shop.place}`)}
            {shopMicroGrid ? ` · ${name(shopMicroGrid)}` : null}
          </p>
          {shop.businessId !== null ? (
            <Link to={`/shops/${shop.businessId}`} className="button button--primary">
              {t("directory.map.viewShop")}
            </Link>
          ) : null}
        </MapSheet>
      ) : selected ? (
        <MapSheet
          id="grid-panel"
          testId="grid-panel"
          title={t("directory.map.gridPanel", { name: name(selected) })}
          floating={enhanced}
          closeHref={`${withGrid(undefined)}#map`}
          closeLabel={t("directory.map.allGrids")}
          onClose={close}
          headingRef={headingRef}
        >
          {selected.microGrids.map((mg) => (
            <MicroGridBlock key={mg.code} microGrid={mg} />
          ))}
          {listed ? (
            <>
              <h3>{t("directory.map.matchingBusinesses")}</h3>
              <ul className="link-list" data-testid="grid-businesses">
                {listed.items.map((b) => (
                  <li key={b.id}>
                    <Link to={`/shops/${b.id}`}>{b.name}</Link>{" "}
                    <RatingBadge average={b.ratingAverage} count={b.ratingCount} />
                  </li>
                ))}
              </ul>
              {listed.total > listed.items.length ? (
                <Link to={`/shops${filtersToSearch(filters)}`}>
                  {t("directory.map.more", { count: listed.total - listed.items.length })}
                </Link>
              ) : null}
            </>
          ) : null}
        </MapSheet>
      ) : null}

      <section aria-labelledby="regions-title" className="regions">
        <h2 id="regions-title">{t("directory.map.listTitle")}</h2>
        <ul className="region-list" data-testid="region-list">
          {map.grids.map((grid) => (
            <li key={grid.code} data-grid={grid.code}>
              <a
                href={gridHref(grid.code)}
                onClick={(e) => {
                  if (!enhanced || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
                  e.preventDefault();
                  openGrid(grid.code);
                }}
              >
                <span className="swatch" style={{ background: grid.colour }} /> {name(grid)}
              </a>
              <ul>
                {grid.microGrids.map((mg) => (
                  <li key={mg.code} data-micro-grid={mg.code}>
                    {name(mg)} ·{" "}
                    {t("directory.map.businessesHere", { count: mg.businessCount, matching: mg.matchingCount })}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
        <h3>{t("directory.map.places")}</h3>
        <ul className="link-list" data-testid="place-list">
          {map.places.map((place) => (
            <li key={place.code}>
              {name(place)}{" "}
              <span className="muted">
                · {t(`directory.map.placeKinds.${place.kind}`)} · {english ? place.addressEn : place.addressZh}
              </span>
            </li>
          ))}
        </ul>
      </section>
    </section>
  );
}

/**
 * Scrolls the page just enough for the map to show above the bottom sheet (never past the top of
 * the map, which stays below the sticky header).
 */
function revealAbove(map: Element | null, sheet: Element | null | undefined) {
  if (!map || !sheet) return;
  const header = document.querySelector(".site-header")?.getBoundingClientRect().bottom ?? 0;
  const mapBox = map.getBoundingClientRect();
  const delta = Math.min(mapBox.bottom - sheet.getBoundingClientRect().top + 8, mapBox.top - header - 8);
  if (delta > 0) {
    const smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    window.scrollBy({ top: delta, behavior: smooth ? "smooth" : "auto" });
  }
}

function MicroGridBlock({
  microGrid,
}: {
  microGrid: {
    code: string;
    nameZh: string;
    nameEn: string;
    businessCount: number;
    matchingCount: number;
    contacts: { role: "leader" | "worker"; name: string; phone: string }[];
  };
}) {
  const { t } = useTranslation();
  const name = useLocalizedName();
  return (
    <div className="micro-grid-block" data-micro-grid={microGrid.code}>
      <h3>{name(microGrid)}</h3>
      <p className="small muted">
        {t("directory.map.businessesHere", { count: microGrid.businessCount, matching: microGrid.matchingCount })}
      </p>
      <GridContacts contacts={microGrid.contacts} />
    </div>
  );
}
