import { getFormProps, getInputProps, type SubmissionResult } from "@conform-to/react";
import { pageMeta } from "~/i18n/meta";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { FormErrors, useZodForm, FieldErrors } from "~/components/field";
import { SubmitButton } from "~/components/submit-button";
import { listGridContacts, setGridContacts } from "~/domain/roster/grids.server";
import { gridContactsSchema } from "~/domain/roster/schemas";
import { replyWithRefusal } from "~/lib/forms.server";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { useRootData } from "~/root";
import { Notice, PageSection } from "~/components/page-parts";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "adminGrids");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  return { grids: await orErrorPage(() => listGridContacts(context.db, user)) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const formData = await request.formData();
  const microGrid = String(formData.get("microGrid") ?? "");
  const submission = parseWithZod(formData, { schema: gridContactsSchema });
  if (submission.status !== "success")
    return data({ microGrid, result: submission.reply(), saved: false }, { status: 400 });
  try {
    await setGridContacts(context.db, user, submission.value);
    return { microGrid, result: submission.reply(), saved: true };
  } catch (error) {
    const refusal = replyWithRefusal(submission, error);
    if (refusal.init?.status === 403 || refusal.init?.status === 404) return orErrorPage(() => Promise.reject(error));
    return data({ microGrid, result: refusal.data, saved: false }, { status: refusal.init?.status ?? 400 });
  }
}

type Grid = Awaited<ReturnType<typeof loader>>["grids"][number];

function GridForm({
  grid,
  lastResult,
  saved,
}: {
  grid: Grid;
  lastResult?: SubmissionResult<string[]>;
  saved: boolean;
}) {
  const { t } = useTranslation();
  const locale = useRootData()?.locale ?? "zh-CN";
  const workers = [
    ...grid.workers.map((w) => ({ id: String(w.id), name: w.name, phone: w.phone, account: w.account ?? "" })),
    { id: "", name: "", phone: "", account: "" },
  ];
  const [form, fields] = useZodForm(gridContactsSchema, {
    id: `grid-${grid.code}`,
    lastResult,
    defaultValue: {
      microGrid: grid.code,
      leader: {
        id: grid.leader ? String(grid.leader.id) : "",
        name: grid.leader?.name ?? "",
        phone: grid.leader?.phone ?? "",
        account: grid.leader?.account ?? "",
      },
      workers,
    },
  });
  const leader = fields.leader.getFieldset();
  const workerList = fields.workers.getFieldList();
  const input = (meta: (typeof leader)["name"], label: string, type: "text" | "tel" = "text") => (
    <div className="field">
      <label htmlFor={meta.id}>{label}</label>
      <input {...getInputProps(meta, { type })} key={meta.key} autoComplete="off" />
      <FieldErrors meta={meta} live={false} />
    </div>
  );
  return (
    <Form method="post" {...getFormProps(form)} className="grid-contacts stack" aria-labelledby={`${form.id}-title`}>
      <h2 id={`${form.id}-title`}>
        {grid.code} · {locale === "en" ? grid.nameEn : grid.nameZh}
      </h2>
      {saved ? <Notice>{t("roster.grids.saved", { code: grid.code })}</Notice> : null}
      <FormErrors id={form.errorId} errors={form.errors} />
      <input type="hidden" name="microGrid" value={grid.code} />
      <fieldset className="grid-contacts__person">
        <legend>{t("roster.grids.leader")}</legend>
        <input {...getInputProps(leader.id, { type: "hidden" })} key={leader.id.key} />
        {input(leader.name, t("roster.grids.name"))}
        {input(leader.phone, t("roster.grids.phone"), "tel")}
        {input(leader.account as typeof leader.name, t("roster.grids.account"), "tel")}
        {grid.leader?.accountName ? (
          <p className="field__hint">{t("roster.grids.linked", { name: grid.leader.accountName })}</p>
        ) : null}
      </fieldset>
      {workerList.map((worker, i) => {
        const w = worker.getFieldset();
        return (
          <fieldset key={worker.key} className="grid-contacts__person">
            <legend>
              {i < grid.workers.length ? `${t("roster.grids.worker")} ${i + 1}` : t("roster.grids.addWorker")}
            </legend>
            <input {...getInputProps(w.id, { type: "hidden" })} key={w.id.key} />
            {input(w.name, t("roster.grids.name"))}
            {input(w.phone, t("roster.grids.phone"), "tel")}
            {input(w.account as typeof leader.name, t("roster.grids.account"), "tel")}
            {grid.workers[i]?.accountName ? (
              <p className="field__hint">{t("roster.grids.linked", { name: grid.workers[i].accountName })}</p>
            ) : null}
          </fieldset>
        );
      })}
      <SubmitButton primary label={t("roster.grids.save")} />
    </Form>
  );
}

export default function GridContacts() {
  const { grids } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <PageSection className="stack roster" title={t("roster.grids.title")} intro={t("roster.grids.intro")}>
      <p className="field__hint">{t("roster.grids.accountHint")}</p>
      <p>
        <Link to="/admin/roster">{t("roster.title")}</Link>
      </p>
      {grids.map((grid) => (
        <GridForm
          key={`${grid.code}:${grid.workers.length}:${grid.leader?.id ?? ""}`}
          grid={grid}
          lastResult={actionData?.microGrid === grid.code ? actionData.result : undefined}
          saved={actionData?.microGrid === grid.code && actionData.saved}
        />
      ))}
    </PageSection>
  );
}
