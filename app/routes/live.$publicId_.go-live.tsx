import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { Form, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { Link } from "~/components/link";
import { useEffect } from "react";
import { useTranslation } from "~/i18n/react";
import { HlsPlayer } from "~/components/hls-player";
import { PhonePublisher } from "~/components/phone-publisher";
import { endShow, goLiveBooking, regenerateStreamKey } from "~/domain/studio/bookings.server";
import { isDomainError } from "~/domain/errors";
import { streamState } from "~/domain/studio/slots";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { rtmpServerUrl } from "~/lib/rtmp.server";
import { formatDateTime } from "~/lib/time";
import { useRootData } from "~/root";
import { RowAction } from "~/components/row-action";
import { SubmitButton } from "~/components/submit-button";
import { Notice } from "~/components/page-parts";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "goLive");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const booking = await orErrorPage(() => goLiveBooking(context.db, user, params.publicId ?? ""));
  return {
    booking,
    state: streamState(booking, new Date()),
    server: rtmpServerUrl(request, context),
    ingestOnline: context.ingest.online(),
    ingestStatus: context.ingest.status?.() ?? null,
    stats: await context.ingest.streamStats(booking.publicId),
    idleEndMinutes: context.env.SHOW_IDLE_END_MINUTES,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const formData = await request.formData();
  if (formData.get("intent") === "end") {
    try {
      await endShow(context.db, user, params.publicId ?? "");
      return { key: null, ended: true, error: null };
    } catch (error) {
      if (!isDomainError(error)) throw error;
      return data({ key: null, ended: false, error: error.code }, { status: error.status });
    }
  }
  const key = await orErrorPage(() => regenerateStreamKey(context.db, user, params.publicId ?? ""));
  return { key, ended: false, error: null };
}

export default function GoLive() {
  const { booking, state, server, ingestOnline, ingestStatus, stats, idleEndMinutes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const locale = useRootData()?.locale ?? "zh-CN";
  const revalidator = useRevalidator();
  // While the page is open it looks at what the studio receives every 3 seconds.
  useEffect(() => {
    if (!ingestOnline || state === "cancelled") return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 3000);
    return () => clearInterval(timer);
  }, [ingestOnline, state, revalidator]);
  const steps = t("studio.goLive.steps", { returnObjects: true }) as unknown as string[];
  return (
    <section className="narrow stack go-live">
      <h1>{t("studio.goLive.title")}</h1>
      <p>
        <Link to={`/live/${booking.publicId}`}>{booking.title}</Link> · {formatDateTime(booking.startsAt, locale)}
      </p>
      {!ingestOnline ? (
        <p className="form-errors" data-testid="ingest-offline">
          {t("studio.ingestOffline")}
          {ingestStatus?.reason ? (
            <span data-testid="ingest-offline-reason">
              {" "}
              {t(`studio.ingestOfflineReason.${ingestStatus.reason}`, { port: ingestStatus.port ?? "" })}
            </span>
          ) : null}
        </p>
      ) : null}
      {ingestOnline && (state === "upcoming" || state === "live") ? (
        <PhonePublisher publicId={booking.publicId} />
      ) : null}

      <dl className="facts">
        <dt>{t("studio.goLive.server")}</dt>
        <dd>
          <code className="secret" data-testid="rtmp-server">
            {server}
          </code>
        </dd>
        <dt>{t("studio.goLive.key")}</dt>
        <dd>
          <code className="secret">{booking.publicId}?key=••••••</code>
        </dd>
      </dl>
      {actionData?.key ? (
        <div className="notice-ok" role="status">
          <p>{t("studio.goLive.newKey")}</p>
          <code className="secret" data-testid="stream-key">
            {booking.publicId}?key={actionData.key}
          </code>
        </div>
      ) : (
        <p className="muted">{t("studio.goLive.keyHidden")}</p>
      )}
      {state !== "cancelled" ? (
        <Form method="post">
          <SubmitButton label={t("studio.goLive.regenerate")} />
        </Form>
      ) : null}
      <p className="muted">{t("studio.goLive.window", { idle: idleEndMinutes })}</p>
      {actionData?.error ? <Notice ok={false}>{t(actionData.error)}</Notice> : null}
      {state === "live" ? (
        <RowAction intent="end" className="button button--danger" label={t("studio.goLive.end")} />
      ) : null}
      {state === "ended" ? <Notice testId="show-ended">{t("studio.goLive.ended")}</Notice> : null}

      <div className="card" data-testid="receiving">
        <h2>{t("studio.goLive.receiving")}</h2>
        {stats ? (
          <dl className="facts">
            <dt>{t("studio.goLive.resolution")}</dt>
            <dd>{stats.width && stats.height ? `${stats.width}×${stats.height}` : "—"}</dd>
            <dt>{t("studio.goLive.frameRate")}</dt>
            <dd>{stats.frameRate ? `${stats.frameRate} fps` : "—"}</dd>
            <dt>{t("studio.goLive.bitrate")}</dt>
            <dd>{stats.bitrate ? `${Math.round(stats.bitrate / 1000)} kbps` : "—"}</dd>
            <dt>{t("studio.goLive.keyframes")}</dt>
            <dd data-testid="keyframe-interval">
              {stats.keyframeSeconds ? t("studio.goLive.keyframeSeconds", { seconds: stats.keyframeSeconds }) : "—"}
            </dd>
          </dl>
        ) : (
          <p className="muted">{t("studio.goLive.notReceiving")}</p>
        )}
        {stats?.keyframeSeconds && stats.keyframeSeconds > 1.5 ? (
          <p className="form-errors" data-testid="keyframe-advice">
            {t("studio.goLive.keyframeAdvice", { seconds: stats.keyframeSeconds })}
          </p>
        ) : null}
        {state === "upcoming" && booking.encoderConnected ? (
          <div data-testid="preview">
            <p className="muted">{t("studio.goLive.preview")}</p>
            <HlsPlayer src={`/hls/${booking.publicId}.m3u8?preview=${booking.previewToken}`} live />
          </div>
        ) : null}
      </div>

      <h2>{t("studio.goLive.stepsTitle")}</h2>
      <ol className="steps">
        {steps.map((step) => (
          <li key={step}>{step}</li>
        ))}
      </ol>
      <p className="muted">{t("studio.goLive.phone")}</p>
    </section>
  );
}
