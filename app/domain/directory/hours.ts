/** Opening hours: minutes after midnight (Asia/Shanghai); a window whose close is before its open crosses midnight. */
export interface Hours {
  dayOpensAt: number | null;
  dayClosesAt: number | null;
  nightOpensAt: number | null;
  nightClosesAt: number | null;
}

export function windowContains(opensAt: number | null, closesAt: number | null, minute: number): boolean {
  if (opensAt === null || closesAt === null) return false;
  if (opensAt === closesAt) return true; // around the clock
  return opensAt < closesAt ? minute >= opensAt && minute < closesAt : minute >= opensAt || minute < closesAt;
}

export function isOpenAt(hours: Hours, minute: number): boolean {
  return (
    windowContains(hours.dayOpensAt, hours.dayClosesAt, minute) ||
    windowContains(hours.nightOpensAt, hours.nightClosesAt, minute)
  );
}

export function formatMinute(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
}

/** "08:00–21:00"; a window that crosses midnight gets the next-day marker the reader's language uses. */
export function formatWindow(opensAt: number | null, closesAt: number | null, nextDay: string): string | null {
  if (opensAt === null || closesAt === null) return null;
  const crosses = closesAt <= opensAt && opensAt !== closesAt;
  return `${formatMinute(opensAt)}–${crosses ? nextDay : ""}${formatMinute(closesAt)}`;
}
