import { getFormProps, getSelectProps, getTextareaProps } from "@conform-to/react";
import { pageMeta } from "~/i18n/meta";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { useEffect, useState } from "react";
import { useTranslation } from "~/i18n/react";
import { Field, FormErrors, useZodForm, FieldErrors } from "~/components/field";
import { myMemberBusinesses } from "~/domain/alliance/members.server";
import { createProposal, similarProposals } from "~/domain/alliance/proposals.server";
import { proposalSchema } from "~/domain/alliance/schemas";
import { clockNow } from "~/lib/clock.server";
import { replyWithRefusal } from "~/lib/forms.server";
import { requireUser } from "~/lib/http.server";
import { proposalCategories, resultVisibilities } from "~/domain/vocabularies";
import { NeedsBusiness } from "~/components/page-parts";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "allianceProposalNew");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  return { businesses: await myMemberBusinesses(context.db, user) };
}

type Similar = { id: number; title: string; status: string }[];

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: proposalSchema });
  // Without JavaScript, "look for similar proposals" is a submit that only shows suggestions.
  if (formData.get("intent") === "preview") {
    const similar: Similar = await similarProposals(context.db, String(formData.get("title") ?? ""));
    return { result: submission.reply(), similar };
  }
  if (submission.status !== "success")
    return data({ result: submission.reply(), similar: [] as Similar }, { status: 400 });
  try {
    const proposal = await createProposal(context.db, user, submission.value, clockNow());
    return redirect(`/alliance/proposals/${proposal.id}`);
  } catch (error) {
    const refusal = replyWithRefusal(submission, error);
    return data({ result: refusal.data, similar: [] as Similar }, { status: refusal.init?.status ?? 400 });
  }
}

export default function NewProposal() {
  const { businesses } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const [form, fields] = useZodForm(proposalSchema, {
    lastResult: actionData?.result,
    defaultValue: { businessId: String(businesses[0]?.id ?? ""), resultVisibility: "live", category: "service" },
  });
  const similarFetcher = useFetcher<{ similar: Similar }>();
  const [title, setTitle] = useState("");
  useEffect(() => {
    if (title.trim().length < 2) return;
    const timer = setTimeout(() => similarFetcher.load(`/alliance/similar?title=${encodeURIComponent(title)}`), 300);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [title]);
  const similar = (title.trim().length >= 2 ? similarFetcher.data?.similar : undefined) ?? actionData?.similar ?? [];

  if (businesses.length === 0)
    return <NeedsBusiness title={t("alliance.newProposal")} reason={t("alliance.form.noMemberBusiness")} />;
  return (
    <section className="narrow stack">
      <h1>{t("alliance.newProposal")}</h1>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors id={form.errorId} errors={form.errors} />
        <div className="field">
          <label htmlFor={fields.businessId.id}>{t("alliance.form.actingFor")}</label>
          <select {...getSelectProps(fields.businessId)} key={fields.businessId.key}>
            {businesses.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}（{b.code}）
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={fields.category.id}>{t("alliance.form.category")}</label>
          <select {...getSelectProps(fields.category)} key={fields.category.key}>
            {proposalCategories.map((c) => (
              <option key={c} value={c}>
                {t(`alliance.category.${c}`)}
              </option>
            ))}
          </select>
        </div>
        <Field
          meta={fields.title}
          label={t("alliance.form.title")}
          hint={t("alliance.form.titleHint")}
          onInput={(e) => setTitle(e.currentTarget.value)}
          autoComplete="off"
        />
        {similar.length > 0 ? (
          <div className="similar" data-testid="similar" aria-live="polite">
            <p>{t("alliance.form.similar")}</p>
            <ul>
              {similar.map((s) => (
                <li key={s.id}>
                  <Link to={`/alliance/proposals/${s.id}`} target="_blank">
                    {s.title}
                  </Link>{" "}
                  <span className="muted">{t(`alliance.status.${s.status}`)}</span>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor={fields.body.id}>{t("alliance.form.body")}</label>
          <textarea {...getTextareaProps(fields.body)} key={fields.body.key} rows={8} />
          <p className="field__hint">{t("alliance.form.bodyHint")}</p>
          <FieldErrors meta={fields.body} live={false} />
        </div>
        <fieldset className="field">
          <legend>{t("alliance.form.resultVisibility")}</legend>
          {resultVisibilities.map((v) => (
            <label key={v} className="check">
              <input type="radio" name={fields.resultVisibility.name} value={v} defaultChecked={v === "live"} />{" "}
              {t(`alliance.visibility.${v}`)}
            </label>
          ))}
        </fieldset>
        <button type="submit" name="intent" value="preview" className="button" formNoValidate>
          {t("alliance.form.preview")}
        </button>
        <button type="submit" name="publish" value="discussion" className="button button--primary">
          {t("alliance.form.publish")}
        </button>
        <button type="submit" name="publish" value="draft" className="button">
          {t("alliance.form.saveDraft")}
        </button>
      </Form>
    </section>
  );
}
