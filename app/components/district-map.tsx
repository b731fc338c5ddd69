import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type CSSProperties,
  type MouseEvent,
  type PointerEvent,
  type ReactNode,
  type RefObject,
} from "react";
import { useTranslation } from "~/i18n/react";
import { decodeMapPoints, type MapPoint } from "~/domain/directory/map-points";

/**
 * The grid map: SVG drawn by the server (it works without JavaScript: each grid is a link to its
 * panel), panned and zoomed in the browser by moving the viewBox (one pointer drags, two pinch,
 * the wheel and the buttons zoom). Labels, place icons and dots are sized in screen pixels through
 * `--px` (map units per screen pixel), so they stay legible at every zoom. See ADR 029.
 */

export const MAP_WIDTH = 1000;
export const MAP_HEIGHT = 700;
const ASPECT = MAP_HEIGHT / MAP_WIDTH;
const MAX_ZOOM = 8;
/** Shops can be picked once the map shows at least this many screen pixels per map unit. */
const SHOP_SCALE = 0.6;
/** How far from a dot (screen pixels) a tap still picks it. */
const HIT_PX = 14;
const MOVE_PX = 6;

type Pair = [number, number];
interface Named {
  nameZh: string;
  nameEn: string;
}
export interface MapCanvasData {
  grids: (Named & {
    code: string;
    colour: string;
    boundary: Pair[];
    microGrids: (Named & { id: number; code: string; boundary: Pair[] })[];
  })[];
  streets: (Named & { code: string; path: Pair[] })[];
  places: (Named & { code: string; kind: string; x: number; y: number })[];
  /** encodeMapPoints(…) */
  points: string;
  /** Businesses to highlight (empty when nothing is filtered). */
  matching: number[];
}

interface View {
  x: number;
  y: number;
  w: number;
}
const fullView: View = { x: 0, y: 0, w: MAP_WIDTH };

function clampView(v: View): View {
  const w = Math.min(MAP_WIDTH, Math.max(MAP_WIDTH / MAX_ZOOM, v.w));
  const h = w * ASPECT;
  return { w, x: Math.min(MAP_WIDTH - w, Math.max(0, v.x)), y: Math.min(MAP_HEIGHT - h, Math.max(0, v.y)) };
}

/** The view zoomed by `factor` keeping the map point under (fx, fy) (fractions of the box) in place. */
function zoomAt(v: View, factor: number, fx = 0.5, fy = 0.5): View {
  const wx = v.x + fx * v.w;
  const wy = v.y + fy * v.w * ASPECT;
  const w = Math.min(MAP_WIDTH, Math.max(MAP_WIDTH / MAX_ZOOM, v.w / factor));
  return clampView({ w, x: wx - fx * w, y: wy - fy * w * ASPECT });
}

const points = (list: Pair[]) => list.map((p) => p.join(",")).join(" ");
const dots = (list: MapPoint[]) => list.map((p) => `M${p.x} ${p.y}h0`).join("");

let lastPaths: { points: MapPoint[]; paths: { vacant: string; storefront: string; stall: string } } | undefined;

/** The dots that do not depend on the filters, for the same points as last time (every request's). */
function dotPaths(list: MapPoint[]) {
  if (lastPaths?.points !== list) {
    const occupied = list.filter((p) => p.businessId !== null);
    lastPaths = {
      points: list,
      paths: {
        vacant: dots(list.filter((p) => p.businessId === null)),
        storefront: dots(occupied.filter((p) => p.place === "storefront")),
        stall: dots(occupied.filter((p) => p.place === "stall")),
      },
    };
  }
  return lastPaths.paths;
}

const noSubscription = () => () => {};

/** False on the server and while hydrating, true once the page's scripts run it. */
export function useHydrated() {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

export function useMapPoints(encoded: string) {
  return useMemo(() => decodeMapPoints(encoded), [encoded]);
}

export function MapCanvas({
  data,
  selectedGrid,
  dimmed,
  gridHref,
  onGrid,
  onPoint,
  picked,
  wrapRef,
}: {
  data: MapCanvasData;
  selectedGrid: string | undefined;
  dimmed: boolean;
  gridHref: (code: string) => string;
  onGrid: (code: string) => void;
  onPoint: (point: MapPoint) => void;
  /** The point whose panel is open, ringed on the map. */
  picked: MapPoint | null;
  wrapRef: RefObject<HTMLDivElement>;
}) {
  const { t, i18n } = useTranslation();
  // Stable across renders (the layers below are memoized on it).
  const english = i18n.language === "en";
  const name = useCallback((row: Named) => (english ? row.nameEn : row.nameZh), [english]);
  const svgRef = useRef<SVGSVGElement>(null);
  const enhanced = useHydrated();
  const [boxWidth, setBoxWidth] = useState(0);
  const [view, setViewState] = useState<View>(fullView);
  const viewRef = useRef(view);
  const setView = useCallback((v: View) => {
    viewRef.current = v;
    setViewState(v);
  }, []);
  const mapPoints = useMapPoints(data.points);

  useEffect(() => {
    const svg = svgRef.current!;
    // Also called once for the first size, as soon as it observes.
    const observer = new ResizeObserver(() => setBoxWidth(svg.getBoundingClientRect().width));
    observer.observe(svg);
    const wheel = (e: WheelEvent) => {
      e.preventDefault();
      const rect = svg.getBoundingClientRect();
      const factor = Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.002));
      setView(
        zoomAt(viewRef.current, factor, (e.clientX - rect.left) / rect.width, (e.clientY - rect.top) / rect.height),
      );
    };
    svg.addEventListener("wheel", wheel, { passive: false });
    return () => {
      observer.disconnect();
      svg.removeEventListener("wheel", wheel);
    };
  }, [setView]);

  // Pointers down on the map, and the gesture they make from where they started.
  const pointers = useRef(new Map<number, { x: number; y: number }>());
  const gesture = useRef<{ view: View; start: Map<number, { x: number; y: number }>; moved: boolean } | null>(null);
  const suppressClick = useRef(false);
  const rebase = (moved: boolean) => {
    gesture.current = pointers.current.size ? { view: viewRef.current, start: new Map(pointers.current), moved } : null;
  };
  const onPointerDown = (e: PointerEvent<SVGSVGElement>) => {
    if (e.pointerType === "mouse" && e.button !== 0) return;
    if (!gesture.current) suppressClick.current = false;
    pointers.current.set(e.pointerId, { x: e.clientX, y: e.clientY });
    rebase(Boolean(gesture.current?.moved) || pointers.current.size > 1);
  };
  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    if (!pointers.current.has(e.pointerId) || !gesture.current) return;
    pointers.current.set(e.pointerId, { x: e.clientX, y: e.clientY });
    const g = gesture.current;
    const rect = svgRef.current!.getBoundingClientRect();
    const ids = [...g.start.keys()].filter((id) => pointers.current.has(id));
    if (ids.length === 1) {
      const [a0, a1] = [g.start.get(ids[0])!, pointers.current.get(ids[0])!];
      const dx = a1.x - a0.x;
      const dy = a1.y - a0.y;
      if (!g.moved && Math.hypot(dx, dy) < MOVE_PX) return;
      if (!g.moved) svgRef.current!.setPointerCapture(e.pointerId);
      g.moved = true;
      const perPx = g.view.w / rect.width;
      setView(clampView({ w: g.view.w, x: g.view.x - dx * perPx, y: g.view.y - dy * perPx }));
    } else if (ids.length >= 2) {
      g.moved = true;
      const [s1, s2] = [g.start.get(ids[0])!, g.start.get(ids[1])!];
      const [n1, n2] = [pointers.current.get(ids[0])!, pointers.current.get(ids[1])!];
      const d0 = Math.hypot(s1.x - s2.x, s1.y - s2.y) || 1;
      const d1 = Math.hypot(n1.x - n2.x, n1.y - n2.y) || 1;
      const m0 = { x: (s1.x + s2.x) / 2 - rect.left, y: (s1.y + s2.y) / 2 - rect.top };
      const m1 = { x: (n1.x + n2.x) / 2 - rect.left, y: (n1.y + n2.y) / 2 - rect.top };
      const perPx0 = g.view.w / rect.width;
      const wx = g.view.x + m0.x * perPx0;
      const wy = g.view.y + m0.y * perPx0;
      const w = Math.min(MAP_WIDTH, Math.max(MAP_WIDTH / MAX_ZOOM, g.view.w / (d1 / d0)));
      const perPx1 = w / rect.width;
      setView(clampView({ w, x: wx - m1.x * perPx1, y: wy - m1.y * perPx1 }));
    }
  };
  const onPointerEnd = (e: PointerEvent<SVGSVGElement>) => {
    if (!pointers.current.delete(e.pointerId)) return;
    const moved = Boolean(gesture.current?.moved);
    if (moved) suppressClick.current = true;
    rebase(moved);
  };

  const onClick = (e: MouseEvent<SVGSVGElement>) => {
    if (!enhanced) return;
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return; // a new tab or window: the link's own
    if (suppressClick.current) {
      suppressClick.current = false;
      e.preventDefault();
      return;
    }
    const rect = svgRef.current!.getBoundingClientRect();
    const v = viewRef.current;
    const scale = rect.width / v.w;
    // A tap (not a key press) near a dot, zoomed in far enough to tell dots apart, picks its shop.
    if (e.detail !== 0 && scale >= SHOP_SCALE) {
      const wx = v.x + (e.clientX - rect.left) / scale;
      const wy = v.y + (e.clientY - rect.top) / scale;
      let best: MapPoint | undefined;
      let bestDistance = HIT_PX / scale;
      for (const p of mapPoints) {
        const d = Math.hypot(p.x - wx, p.y - wy);
        if (d <= bestDistance) [best, bestDistance] = [p, d];
      }
      if (best) {
        e.preventDefault();
        onPoint(best);
        return;
      }
    }
    const link = (e.target as Element).closest("a[data-grid-link]");
    if (link) {
      e.preventDefault();
      onGrid(link.getAttribute("data-grid-link")!);
    }
  };

  const zoomBy = (factor: number) => setView(zoomAt(viewRef.current, factor));
  const zoom = MAP_WIDTH / view.w;
  const px = boxWidth > 0 ? view.w / boxWidth : undefined;
  const matching = useMemo(() => new Set(data.matching), [data.matching]);

  const shapes = useMemo(
    () => (
      <>
        {data.grids.map((grid) => (
          <a
            key={grid.code}
            href={gridHref(grid.code)}
            data-grid-link={grid.code}
            aria-label={t("directory.map.selectGrid", { name: name(grid) })}
          >
            <polygon
              className={`map-grid${selectedGrid === grid.code ? " map-grid--selected" : ""}`}
              points={points(grid.boundary)}
              fill={grid.colour}
              data-grid={grid.code}
            />
          </a>
        ))}
        {data.grids.flatMap((grid) =>
          grid.microGrids.map((mg) => (
            <polygon key={mg.code} className="map-micro-grid" points={points(mg.boundary)} data-micro-grid={mg.code} />
          )),
        )}
        {data.streets.map((street) => (
          <polyline key={street.code} className="map-street" data-street={street.code} points={points(street.path)} />
        ))}
      </>
    ),
    [data.grids, data.streets, selectedGrid, gridHref, t, name],
  );

  const dotLayer = useMemo(() => {
    const paths = dotPaths(mapPoints);
    const matched = matching.size ? mapPoints.filter((p) => p.businessId !== null && matching.has(p.businessId)) : [];
    return (
      <g className="map-dots" aria-hidden="true">
        <path className="map-dots__vacant-ring" d={paths.vacant} />
        <path className="map-dots__vacant" d={paths.vacant} />
        <path className="map-dots__storefront" d={paths.storefront} />
        <path className="map-dots__stall" d={paths.stall} />
        {matched.length ? (
          <>
            <path className="map-dots__match-ring" d={dots(matched)} />
            <path className="map-dots__match" d={dots(matched)} data-matching={matched.length} />
          </>
        ) : null}
      </g>
    );
  }, [mapPoints, matching]);

  const labels = useMemo(
    () => (
      <>
        {data.streets.map((street) => {
          const [a, b] = [street.path[0], street.path[street.path.length - 1]];
          const vertical = Math.abs(a[0] - b[0]) < Math.abs(a[1] - b[1]);
          // Off the middle, so crossing streets' labels do not meet at the centre of the map.
          const x = vertical ? a[0] : a[0] + (b[0] - a[0]) * 0.3;
          const y = vertical ? a[1] + (b[1] - a[1]) * 0.7 : a[1];
          return (
            <text
              key={street.code}
              x={x}
              y={y}
              className="map-street-label"
              textAnchor="middle"
              dominantBaseline="central"
              transform={vertical ? `rotate(90 ${x} ${y})` : undefined}
            >
              {name(street)}
            </text>
          );
        })}
        {data.places.map((place) => (
          <g
            key={place.code}
            className="map-place"
            data-place={place.kind}
            transform={`translate(${place.x} ${place.y})`}
          >
            <g className="map-place__icon">
              <circle r={11} />
              <text y={4} textAnchor="middle">
                {t(`directory.map.placeGlyphs.${place.kind}`)}
              </text>
              <text x={15} y={4} className="map-place__name">
                {name(place)}
              </text>
            </g>
            <title>{name(place)}</title>
          </g>
        ))}
      </>
    ),
    [data.streets, data.places, t, name],
  );

  return (
    <div className="map-wrap" id="map" ref={wrapRef} tabIndex={-1}>
      <svg
        ref={svgRef}
        className={[
          "district-map",
          dimmed ? "district-map--filtered" : "",
          enhanced ? "district-map--live" : "",
          zoom >= 2 ? "district-map--near" : "",
        ]
          .filter(Boolean)
          .join(" ")}
        viewBox={`${view.x} ${view.y} ${view.w} ${view.w * ASPECT}`}
        style={px ? ({ "--px": px } as CSSProperties) : undefined}
        role="group"
        aria-labelledby="map-title"
        data-testid="district-map"
        data-zoom={zoom.toFixed(2)}
        onClick={onClick}
        onPointerDown={enhanced ? onPointerDown : undefined}
        onPointerMove={enhanced ? onPointerMove : undefined}
        onPointerUp={enhanced ? onPointerEnd : undefined}
        onPointerCancel={enhanced ? onPointerEnd : undefined}
      >
        <title id="map-title">{t("directory.map.title")}</title>
        {shapes}
        {dotLayer}
        {picked ? <path className="map-dots__picked" d={dots([picked])} aria-hidden="true" /> : null}
        {labels}
      </svg>
      {enhanced ? (
        <div className="map-zoom" role="group" aria-label={t("directory.map.zoom")}>
          <button type="button" aria-label={t("directory.map.zoomIn")} onClick={() => zoomBy(2)}>
            +
          </button>
          <button type="button" aria-label={t("directory.map.zoomOut")} onClick={() => zoomBy(0.5)}>
            −
          </button>
          <button type="button" aria-label={t("directory.map.resetView")} onClick={() => setView(fullView)}>
            ⤢
          </button>
        </div>
      ) : null}
    </div>
  );
}

/**
 * A grid's or a shop's panel. In the browser it is a bottom sheet (a non-modal dialog that takes
 * focus and closes on Escape); without JavaScript it sits under the map, where the link's
 * fragment scrolls to it.
 */
export function MapSheet({
  id,
  title,
  floating,
  closeHref,
  closeLabel,
  onClose,
  headingRef,
  testId,
  children,
}: {
  id: string;
  title: string;
  floating: boolean;
  closeHref: string;
  closeLabel: string;
  onClose: () => void;
  headingRef: RefObject<HTMLHeadingElement>;
  testId: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <section
      id={id}
      className={floating ? "map-sheet map-sheet--floating" : "map-sheet card"}
      role={floating ? "dialog" : undefined}
      aria-labelledby={`${id}-title`}
      data-testid={testId}
    >
      <div className="map-sheet__head">
        <h2 id={`${id}-title`} ref={headingRef} tabIndex={-1}>
          {title}
        </h2>
        {floating ? (
          <button type="button" className="map-sheet__close" aria-label={t("directory.map.close")} onClick={onClose}>
            ×
          </button>
        ) : (
          <a href={closeHref}>{closeLabel}</a>
        )}
      </div>
      <div className="map-sheet__body">{children}</div>
    </section>
  );
}
