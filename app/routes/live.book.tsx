import { getTextareaProps, useForm } from "@conform-to/react";
import { pageMeta } from "~/i18n/meta";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { NeedsBusiness } from "~/components/page-parts";
import { ConformForm, Field } from "~/components/field";
import { SubmitButton } from "~/components/submit-button";
import { SelectField } from "~/components/select-field";
import { bookableBusinesses, bookSlot, listStudios } from "~/domain/studio/bookings.server";
import { bookingSchema } from "~/domain/studio/schemas";
import {
  currentStep,
  DEFAULT_WEEKLY_MINUTES,
  districtDate,
  districtInstant,
  parseClock,
  stepClocks,
} from "~/domain/studio/slots";
import { replyWithRefusal } from "~/lib/forms.server";
import { requireUser } from "~/lib/http.server";
import { rtmpServerUrl } from "~/lib/rtmp.server";
import { useRootData } from "~/root";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "liveBook");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const now = new Date();
  const step = currentStep(now);
  return {
    businesses: await bookableBusinesses(context.db, user, now),
    studios: await listStudios(context.db),
    today: districtDate(now),
    nextStep: step,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const submission = parseWithZod(await request.formData(), { schema: bookingSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), booked: null }, { status: 400 });
  const v = submission.value;
  try {
    const { booking, streamKey } = await bookSlot(context.db, user, {
      businessId: v.businessId,
      studioCode: v.studio,
      startsAt: districtInstant(v.date, parseClock(v.start)),
      endsAt: districtInstant(v.date, parseClock(v.end)),
      title: v.title,
      description: v.description,
    });
    return {
      result: submission.reply({ resetForm: true }),
      booked: { publicId: booking.publicId, title: booking.title, streamKey, server: rtmpServerUrl(request, context) },
    };
  } catch (error) {
    const refusal = replyWithRefusal(submission, error);
    return data({ result: refusal.data, booked: null }, { status: refusal.init?.status ?? 400 });
  }
}

export default function BookStudio() {
  const { businesses, studios, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const locale = useRootData()?.locale ?? "zh-CN";
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    defaultValue: {
      businessId: String(businesses[0]?.id ?? ""),
      studio: studios[0]?.code ?? "",
      date: today,
      start: "10:00",
      end: "11:00",
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: bookingSchema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const clocks = stepClocks().map((c) => ({ value: c, label: c }));
  const booked = actionData?.booked;
  if (businesses.length === 0) return <NeedsBusiness title={t("studio.book")} reason={t("errors.forbidden")} />;
  return (
    <section className="narrow stack">
      <h1>{t("studio.book")}</h1>
      <p className="muted">{t("studio.form.rules", { hours: DEFAULT_WEEKLY_MINUTES / 60 })}</p>
      {booked ? (
        <div className="notice-ok stack" role="status" data-testid="booked">
          <p>
            <strong>{t("studio.form.booked")}</strong> {booked.title}
          </p>
          <p>{t("studio.goLive.server")}:</p>
          <code className="secret">{booked.server}</code>
          <p>{t("studio.form.keyOnce")}</p>
          <code className="secret" data-testid="stream-key">
            {booked.publicId}?key={booked.streamKey}
          </code>
          <p>
            <Link to={`/live/${booked.publicId}/go-live`}>{t("studio.form.goLive")}</Link> ·{" "}
            <Link to={`/live/${booked.publicId}`}>{t("studio.goLive.watch")}</Link>
          </p>
        </div>
      ) : null}
      <ConformForm form={form}>
        <SelectField
          meta={fields.businessId}
          label={t("studio.form.business")}
          options={businesses.map((b) => ({
            value: String(b.id),
            label: `${b.name}（${(b.usedMinutes / 60).toString()}/${(b.allowanceMinutes / 60).toString()} h）`,
          }))}
        />
        <SelectField
          meta={fields.studio}
          label={t("studio.form.studio")}
          options={studios.map((s) => ({
            value: s.code,
            label: `${locale === "en" ? s.nameEn : s.nameZh} · ${t("studio.hours", { opens: fmt(s.opensAt), closes: fmt(s.closesAt) })}`,
          }))}
        />
        <Field meta={fields.date} label={t("studio.form.date")} type={"date"} />
        <div className="field-row">
          <SelectField meta={fields.start} label={t("studio.form.start")} options={clocks} />
          <SelectField meta={fields.end} label={t("studio.form.end")} options={clocks} />
        </div>
        <Field meta={fields.title} label={t("studio.form.title")} hint={t("studio.form.titleHint")} maxLength={60} />
        <div className="field">
          <label htmlFor={fields.description.id}>{t("studio.form.description")}</label>
          <textarea {...getTextareaProps(fields.description)} key={fields.description.key} rows={3} maxLength={1000} />
        </div>
        <SubmitButton primary label={t("studio.form.submit")} />
      </ConformForm>
    </section>
  );
}

const fmt = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
