import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { rosterCsv, rosterRows, rosterXlsx } from "~/domain/roster/roster.server";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { districtDate } from "~/lib/time";
import { parsedOr400 } from "~/lib/forms.server";

const querySchema = z.object({
  format: z.enum(["csv", "xlsx"]).default("csv"),
  headers: z.enum(["zh", "en"]).default("zh"),
});

/** The open businesses as CSV (UTF-8 with a BOM) or XLSX, in the columns the import reads. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const { format, headers } = parsedOr400(querySchema, Object.fromEntries(new URL(request.url).searchParams));
  const rows = await orErrorPage(() => rosterRows(context.db, user, headers));
  const name = `roster-${districtDate(new Date())}${headers === "en" ? "-en" : ""}.${format}`;
  const common = { "Content-Disposition": `attachment; filename="${name}"`, "Cache-Control": "private, no-store" };
  if (format === "csv") {
    return new Response(rosterCsv(rows), { headers: { ...common, "Content-Type": "text/csv; charset=utf-8" } });
  }
  return new Response(await rosterXlsx(rows), {
    headers: { ...common, "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
  });
}
