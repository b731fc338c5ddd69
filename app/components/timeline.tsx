import type { ReactNode } from "react";
import type { Locale } from "~/i18n/locales";
import { formatDateTime } from "~/lib/time";

/** One step of a case or a proposal's history. */
export interface TimelineEntry {
  id: number | string;
  at: Date | string;
  /** What happened, in the reader's language (a status badge, an event's words). */
  what: ReactNode;
  /** Who did it, when the page may say. */
  author?: string | null;
  /** Their words, if any. */
  body?: string | null;
}

/** A history in the order it happened: a dispute's events, an adopted proposal's follow-ups. */
export function Timeline({ entries, locale, testId }: { entries: TimelineEntry[]; locale: Locale; testId?: string }) {
  return (
    <ol className="timeline" data-testid={testId}>
      {entries.map((e) => (
        <li key={e.id}>
          <span className="muted small">{formatDateTime(e.at, locale)}</span> {e.what}
          {e.author ? <span className="muted"> · {e.author}</span> : null}
          {e.body ? <p className="post__body">{e.body}</p> : null}
        </li>
      ))}
    </ol>
  );
}
