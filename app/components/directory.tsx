import { Form } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { formatWindow } from "~/domain/directory/hours";
import type { DirectoryFilters } from "~/domain/directory/filters";
import { useLocalizedName } from "./localized";
import { SubmitButton } from "~/components/submit-button";
import { Options } from "~/components/page-parts";

type Option = { code: string; nameZh: string; nameEn: string };
type PlaqueKind = "recommended" | "model_merchant";

export function PlaqueBadge({ kind, year }: { kind: PlaqueKind; year?: number }) {
  const { t } = useTranslation();
  return (
    <span className={`plaque plaque--${kind === "recommended" ? "recommended" : "model"}`} data-plaque={kind}>
      <span aria-hidden="true">{kind === "recommended" ? "★" : "☆"}</span>
      {t(`directory.plaqueKinds.${kind}`)}
      {year ? <span className="plaque__year">{year}</span> : null}
    </span>
  );
}

interface Located {
  kind: "shop" | "stall";
  streetZh: string;
  streetEn: string;
  number: string | null;
  market: "day" | "night" | null;
  stallNumber: string | null;
}

export function useAddress() {
  const { t, i18n } = useTranslation();
  return (b: Located) => {
    const street = i18n.language === "en" ? b.streetEn : b.streetZh;
    return b.kind === "stall"
      ? t("directory.stallAddress", {
          market: t(`directory.markets.${b.market ?? "day"}`),
          number: b.stallNumber,
          street,
        })
      : t("directory.shopAddress", { street, number: b.number });
  };
}

interface Timed {
  dayOpensAt: number | null;
  dayClosesAt: number | null;
  nightOpensAt: number | null;
  nightClosesAt: number | null;
}

export function useHours() {
  const { t } = useTranslation();
  return (b: Timed) => {
    const nextDay = t("directory.nextDay");
    const day = formatWindow(b.dayOpensAt, b.dayClosesAt, nextDay);
    const night = formatWindow(b.nightOpensAt, b.nightClosesAt, nextDay);
    return [
      day ? t("directory.dayHours", { hours: day }) : null,
      night ? t("directory.nightHours", { hours: night }) : null,
    ].filter((x): x is string => x !== null);
  };
}

export function OpenState({ open }: { open: boolean }) {
  const { t } = useTranslation();
  return (
    <span className={open ? "open-state open-state--open" : "open-state"}>
      {open ? t("directory.open") : t("directory.closed")}
    </span>
  );
}

export interface CardEntry extends Located, Timed {
  id: number;
  name: string;
  categoryZh: string;
  categoryEn: string;
  openNow: boolean;
  plaques: { kind: PlaqueKind; year: number; code: string }[];
  ratingAverage: number | null;
  ratingCount: number;
}

/** "★ 4.5 (12)": the average of the visible reviews and their count; nothing without reviews. */
export function RatingBadge({ average, count }: { average: number | null; count: number }) {
  const { t } = useTranslation();
  if (average === null || count === 0) return null;
  return (
    <span className="rating" data-testid="rating">
      <span aria-hidden="true">★</span> {t("reviews.summaryShort", { average: average.toFixed(1), count })}
    </span>
  );
}

export function BusinessCard({ entry }: { entry: CardEntry }) {
  const { t, i18n } = useTranslation();
  const address = useAddress();
  const hours = useHours();
  return (
    <li className="business-card" data-testid="business-card">
      <div className="business-card__head">
        <Link to={`/shops/${entry.id}`} className="business-card__name">
          {entry.name}
        </Link>
        <OpenState open={entry.openNow} />
      </div>
      <RatingBadge average={entry.ratingAverage} count={entry.ratingCount} />
      {entry.plaques.length ? (
        <div className="business-card__plaques">
          {entry.plaques.map((p) => (
            <PlaqueBadge key={p.code} kind={p.kind} />
          ))}
        </div>
      ) : null}
      <p className="business-card__meta">
        {t(`directory.kinds.${entry.kind}`)} · {i18n.language === "en" ? entry.categoryEn : entry.categoryZh} ·{" "}
        {address(entry)}
      </p>
      <p className="business-card__hours muted">
        {hours(entry).join(" · ")}
        {entry.nightOpensAt !== null ? <span className="tag tag--night">{t("directory.nightMarket")}</span> : null}
      </p>
    </li>
  );
}

export interface FilterOptions {
  categories: Option[];
  streets: Option[];
  grids: Option[];
  microGrids: (Option & { gridCode: string })[];
}

/**
 * Suggestions for the search box as the shopper types (pinyin and initials included): asked of
 * /shops/suggest a moment after the last key, the newest answer wins.
 */
function useSuggestions(): [string[], (q: string) => void] {
  const [suggestions, setSuggestions] = useState<string[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const asked = useRef(0);
  useEffect(() => () => clearTimeout(timer.current), []);
  const suggestFor = useCallback((q: string) => {
    const ask = ++asked.current;
    clearTimeout(timer.current);
    if (!q.trim()) {
      setSuggestions([]);
      return;
    }
    timer.current = setTimeout(() => {
      fetch(`/shops/suggest?q=${encodeURIComponent(q)}`)
        .then((response) => (response.ok ? (response.json() as Promise<{ suggestions: string[] }>) : null))
        .then((body) => {
          if (body && ask === asked.current) setSuggestions(body.suggestions);
        })
        .catch(() => {
          // Suggestions are a help, not a need: the search works without them.
        });
    }, 150);
  }, []);
  return [suggestions, suggestFor];
}

/** The filter form of /shops and /map: a plain GET form, so it works without JavaScript. */
export function DirectoryFilterForm({
  action,
  filters,
  options,
  extra,
  gridShownElsewhere = false,
}: {
  action: string;
  filters: Partial<DirectoryFilters>;
  options: FilterOptions;
  extra?: Record<string, string | undefined>;
  /** The map shows the chosen grid in its own panel: choosing one there does not open the filters. */
  gridShownElsewhere?: boolean;
}) {
  const { t } = useTranslation();
  const name = useLocalizedName();
  const microGrids = filters.grid ? options.microGrids.filter((m) => m.gridCode === filters.grid) : options.microGrids;
  const [suggestions, suggestFor] = useSuggestions();
  // The filters by place, each over its list (the micro-grids narrowed to the chosen grid's).
  const placeFilters = [
    { name: "category", label: t("directory.category"), any: t("directory.categoryAny"), places: options.categories },
    { name: "street", label: t("directory.street"), any: t("directory.streetAny"), places: options.streets },
    { name: "grid", label: t("directory.grid"), any: t("directory.gridAny"), places: options.grids },
    { name: "microGrid", label: t("directory.microGrid"), any: t("directory.microGridAny"), places: microGrids },
  ] as const;
  return (
    <Form method="get" action={action} className="filters" role="search">
      {Object.entries(extra ?? {}).map(([key, value]) =>
        value ? <input key={key} type="hidden" name={key} value={value} /> : null,
      )}
      <div className="field filters__search">
        <label htmlFor="q">{t("directory.search")}</label>
        <input
          id="q"
          name="q"
          type="search"
          defaultValue={filters.q ?? ""}
          placeholder={t("directory.searchPlaceholder")}
          enterKeyHint="search"
          list="q-suggestions"
          autoComplete="off"
          onInput={(event) => suggestFor(event.currentTarget.value)}
        />
        <datalist id="q-suggestions" data-testid="q-suggestions">
          {suggestions.map((word) => (
            <option key={word} value={word} />
          ))}
        </datalist>
      </div>
      <details
        className="filters__more"
        open={Boolean(
          filters.kind ||
          filters.category ||
          filters.street ||
          (filters.grid && !gridShownElsewhere) ||
          filters.microGrid ||
          filters.plaque,
        )}
      >
        <summary>{t("directory.filters")}</summary>
        <div className="filters__grid">
          <Select
            name="kind"
            label={t("directory.kind")}
            value={filters.kind}
            any={t("directory.kindAny")}
            options={[
              { value: "shop", label: t("directory.kinds.shop") },
              { value: "stall", label: t("directory.kinds.stall") },
            ]}
          />
          {placeFilters.map((f) => (
            <Select
              key={f.name}
              name={f.name}
              label={f.label}
              value={filters[f.name]}
              any={f.any}
              options={f.places.map((c) => ({ value: c.code, label: name(c) }))}
            />
          ))}
          <Select
            name="plaque"
            label={t("directory.plaque")}
            value={filters.plaque}
            any={t("directory.plaqueAny")}
            options={(["any", "recommended", "model_merchant"] as const).map((p) => ({
              value: p,
              label: t(`directory.plaqueFilter.${p}`),
            }))}
          />
        </div>
      </details>
      <div className="filters__toggles">
        <label className="check">
          <input type="checkbox" name="open" value="now" defaultChecked={filters.open === "now"} />{" "}
          {t("directory.openNow")}
        </label>
        <label className="check">
          <input type="checkbox" name="night" value="1" defaultChecked={filters.night === "1"} />{" "}
          {t("directory.nightOnly")}
        </label>
        <label className="check">
          <input type="checkbox" name="sort" value="rating" defaultChecked={filters.sort === "rating"} />{" "}
          {t("reviews.sort")}
        </label>
      </div>
      <div className="filters__actions">
        <SubmitButton primary label={t("directory.apply")} />
        <Link to={action} className="button">
          {t("directory.reset")}
        </Link>
      </div>
    </Form>
  );
}

function Select({
  name,
  label,
  value,
  any,
  options,
}: {
  name: string;
  label: string;
  value?: string;
  any: string;
  options: { value: string; label: string }[];
}) {
  return (
    <div className="field">
      <label htmlFor={`filter-${name}`}>{label}</label>
      <select id={`filter-${name}`} name={name} defaultValue={value ?? ""}>
        <option value="">{any}</option>
        <Options options={options} />
      </select>
    </div>
  );
}

/** A micro-grid's leader and workers with call links: their phones are public by design. */
export function GridContacts({
  contacts,
  testId,
}: {
  contacts: { role: "leader" | "worker"; name: string; phone: string }[];
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <ul className="contact-list" data-testid={testId}>
      {contacts.map((c) => (
        <li key={`${c.role}-${c.phone}`}>
          <span className="muted">{t(`directory.shop.contactRoles.${c.role}`)}</span> {c.name}{" "}
          <a href={`tel:${c.phone}`} className="call">
            {c.phone}
          </a>
        </li>
      ))}
    </ul>
  );
}
