import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { DirectoryFilterForm, GridContacts, RatingBadge } from "~/components/directory";
import { useLocalizedName } from "~/components/localized";
import { parseDirectoryFilters } from "~/domain/directory/filters";
import { filtersToSearch } from "~/domain/directory/query-string";
import { districtMap } from "~/domain/directory/map.server";
import { directoryOptions, searchDirectory } from "~/domain/directory/search.server";
import { withoutEmptyParams } from "~/lib/query.server";

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
    map,
    options,
    listed,
  };
}

export const meta: MetaFunction<typeof loader> = ({ matches }) => pageMeta(matches, "map");

export default function DistrictMap() {
  const { filters, ignored, map, options, listed } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const name = useLocalizedName();
  const filtered = Boolean(
    filters.q ||
    filters.kind ||
    filters.category ||
    filters.street ||
    filters.microGrid ||
    filters.plaque ||
    filters.open ||
    filters.night,
  );
  const selected = map.grids.find((g) => g.code === filters.grid);
  const withGrid = (grid: string | undefined) =>
    `/map${filtersToSearch(filters, { grid, microGrid: undefined, page: undefined })}`;
  return (
    <section className="stack">
      <h1>{t("directory.map.title")}</h1>
      <p className="muted">{t("directory.map.intro")}</p>
      <DirectoryFilterForm key={filtersToSearch(filters)} action="/map" filters={filters} options={options} />
      {ignored ? (
        <p className="form-errors" role="alert">
          {t("directory.ignoredFilter", { parameter: ignored.parameter, message: t(ignored.message) })}
        </p>
      ) : null}
      <p role="status" data-testid="map-matching">
        {t("directory.map.matchingCount", { count: map.matchingCount })}
      </p>
      <div className="map-wrap">
        <svg
          className={`district-map${filtered || selected ? " district-map--filtered" : ""}`}
          viewBox="0 0 1000 700"
          role="group"
          aria-labelledby="map-title"
          data-testid="district-map"
        >
          <title id="map-title">{t("directory.map.title")}</title>
          {map.grids.map((grid) => (
            <a
              key={grid.code}
              href={withGrid(grid.code)}
              aria-label={t("directory.map.selectGrid", { name: name(grid) })}
            >
              <polygon
                className={`map-grid${selected?.code === grid.code ? " map-grid--selected" : ""}`}
                points={grid.boundary.map((p) => p.join(",")).join(" ")}
                fill={grid.colour}
                data-grid={grid.code}
              />
            </a>
          ))}
          {map.grids.flatMap((grid) =>
            grid.microGrids.map((mg) => (
              <polygon
                key={mg.code}
                className="map-micro-grid"
                points={mg.boundary.map((p) => p.join(",")).join(" ")}
                data-micro-grid={mg.code}
              />
            )),
          )}
          {map.streets.map((street) => (
            <g key={street.code} className="map-street" data-street={street.code}>
              <polyline points={street.path.map((p) => p.join(",")).join(" ")} />
            </g>
          ))}
          {map.points.map((p) => (
            <circle
              key={`${p.place}-${p.id}`}
              cx={p.x}
              cy={p.y}
              r={p.matches ? 4.5 : p.place === "stall" ? 2.2 : 2.6}
              className={`map-point map-point--${p.businessId === null ? "vacant" : p.place}${p.matches ? " map-point--match" : ""}`}
            />
          ))}
          {map.streets.map((street) => {
            const [a, b] = [street.path[0], street.path[street.path.length - 1]];
            const vertical = Math.abs(a[0] - b[0]) < Math.abs(a[1] - b[1]);
            const x = vertical ? a[0] + 4 : (a[0] + b[0]) / 2;
            const y = vertical ? (a[1] + b[1]) / 2 : a[1] - 4;
            return (
              <text
                key={street.code}
                x={x}
                y={y}
                className="map-street-label"
                transform={vertical ? `rotate(90 ${x} ${y})` : undefined}
              >
                {name(street)}
              </text>
            );
          })}
          {map.places.map((place) => (
            <g key={place.code} className="map-place" data-place={place.kind}>
              <circle cx={place.x} cy={place.y} r={11} />
              <text x={place.x} y={place.y + 4} textAnchor="middle">
                {t(`directory.map.placeGlyphs.${place.kind}`)}
              </text>
              <title>{name(place)}</title>
            </g>
          ))}
        </svg>
      </div>
      <ul className="map-legend" aria-label={t("directory.map.legend")}>
        <li>
          <span className="swatch swatch--occupied" /> {t("directory.map.occupied")}
        </li>
        <li>
          <span className="swatch swatch--vacant" /> {t("directory.map.vacant")}
        </li>
        <li>
          <span className="swatch swatch--stall" /> {t("directory.map.stall")}
        </li>
        <li>
          <span className="swatch swatch--match" /> {t("directory.map.matching")}
        </li>
        <li>
          <span className="swatch swatch--place" /> {t("directory.map.place")}
        </li>
      </ul>

      {selected ? (
        <section className="card" data-testid="grid-panel" aria-labelledby="grid-panel-title">
          <h2 id="grid-panel-title">{t("directory.map.gridPanel", { name: name(selected) })}</h2>
          <Link to={withGrid(undefined)}>{t("directory.map.allGrids")}</Link>
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
        </section>
      ) : null}

      <section aria-labelledby="regions-title" className="regions">
        <h2 id="regions-title">{t("directory.map.listTitle")}</h2>
        <ul className="region-list" data-testid="region-list">
          {map.grids.map((grid) => (
            <li key={grid.code} data-grid={grid.code}>
              <Link to={withGrid(grid.code)}>
                <span className="swatch" style={{ background: grid.colour }} /> {name(grid)}
              </Link>
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
                · {t(`directory.map.placeKinds.${place.kind}`)} · {place.addressZh}
              </span>
            </li>
          ))}
        </ul>
      </section>
    </section>
  );
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
