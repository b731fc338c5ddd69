import { getFormProps, useForm } from "@conform-to/react";
import { pageMeta } from "~/i18n/meta";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { Link } from "~/components/link";
import { useEffect, useState } from "react";
import { useTranslation } from "~/i18n/react";
import { Field, FormErrors } from "~/components/field";
import { SubmitButton } from "~/components/submit-button";
import { HlsPlayer } from "~/components/hls-player";
import { LiveChat, useLiveSocket, useViewerCount } from "~/components/live-chat";
import { SelectField } from "~/components/select-field";
import { chatHistoryPage, chatOpenIn, pinChoices, pinnedProduct } from "~/domain/chat/chat.server";
import { streamPolls } from "~/domain/chat/polls.server";
import { cancelBooking, getBooking, listStudios, moveBooking } from "~/domain/studio/bookings.server";
import { moveSchema } from "~/domain/studio/schemas";
import {
  districtDate,
  districtInstant,
  districtMinute,
  formatClock,
  parseClock,
  stepClocks,
  streamState,
} from "~/domain/studio/slots";
import { isDomainError } from "~/domain/errors";
import { replyWithRefusal } from "~/lib/forms.server";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { formatDateTime } from "~/lib/time";
import { useRootData } from "~/root";
import { Notice } from "~/components/page-parts";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageMeta(matches, data ? { title: data.booking.title } : "live");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  // "Load older" in the chat: ?chatBefore=<seq> is one page of the messages before that seq.
  const before = new URL(request.url).searchParams.get("chatBefore");
  if (before !== null && !/^[1-9]\d{0,9}$/.test(before)) throw data({ code: "chat.badPage" }, { status: 400 });
  const booking = await orErrorPage(() => getBooking(context.db, context.actor, params.publicId ?? ""));
  const now = new Date();
  const state = streamState(booking, now);
  // While the chat is open the page's socket joins it and gets the newest messages then (this
  // loader runs again every few seconds); the replay renders its newest page here, without
  // JavaScript. Older pages come from here in both cases.
  const chat =
    before !== null
      ? await chatHistoryPage(context.db, context.actor, booking.publicId, { beforeSeq: Number(before) })
      : chatOpenIn(state)
        ? null
        : await chatHistoryPage(context.db, context.actor, booking.publicId);
  return {
    booking,
    now: now.toISOString(),
    /** The site's host as the visitor reached it, for the webcal:// subscribe link. */
    calendarHost: new URL(request.url).host,
    state,
    chat: chat?.messages ?? [],
    /** Where the next older page starts (null: none left); undefined when this loader read no page. */
    chatOlderBefore: chat ? chat.olderBefore : undefined,
    chatPaged: before !== null,
    chatOpen: chatOpenIn(state),
    polls: await streamPolls(context.db, context.actor, booking.publicId),
    pinned: chatOpenIn(state) ? await pinnedProduct(context.db, booking.publicId) : null,
    pinChoices: chatOpenIn(state) ? await pinChoices(context.db, context.actor, booking.publicId) : [],
    signedIn: context.actor !== null,
    ingestOnline: context.ingest.online(),
    /** With the transcode ladder on, the live player plays its master playlist (docs/decisions/032). */
    ladder: context.ingest.ladder === true,
    studios: booking.isOfficer ? await listStudios(context.db) : [],
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const publicId = params.publicId ?? "";
  const formData = await request.formData();
  if (formData.get("intent") === "move") {
    const submission = parseWithZod(formData, { schema: moveSchema });
    if (submission.status !== "success")
      return data({ move: submission.reply(), cancel: null, done: null }, { status: 400 });
    const v = submission.value;
    try {
      await moveBooking(context.db, user, publicId, {
        studioCode: v.studio,
        startsAt: districtInstant(v.date, parseClock(v.start)),
        endsAt: districtInstant(v.date, parseClock(v.end)),
        reason: v.reason,
      });
      return { move: submission.reply(), cancel: null, done: "studio.moved" };
    } catch (error) {
      const refusal = replyWithRefusal(submission, error);
      return data({ move: refusal.data, cancel: null, done: null }, { status: refusal.init?.status ?? 400 });
    }
  }
  const reason = String(formData.get("reason") ?? "");
  try {
    await cancelBooking(context.db, user, publicId, reason);
    return { move: null, cancel: null, done: "studio.cancelled" };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return data({ move: null, cancel: error.code, done: null }, { status: error.status });
  }
}

/** Whether a media query matches (false on the server and until the page runs). */
function useMediaQuery(query: string) {
  const [matches, setMatches] = useState(false);
  useEffect(() => {
    const list = window.matchMedia(query);
    const update = () => setMatches(list.matches);
    update();
    list.addEventListener("change", update);
    return () => list.removeEventListener("change", update);
  }, [query]);
  return matches;
}

function useCountdown(target: string) {
  const [left, setLeft] = useState<number | null>(null);
  useEffect(() => {
    const tick = () => setLeft(Math.max(0, new Date(target).getTime() - Date.now()));
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [target]);
  return left;
}

function formatLeft(ms: number) {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const hms = [Math.floor((s % 86400) / 3600), Math.floor((s % 3600) / 60), s % 60]
    .map((n) => String(n).padStart(2, "0"))
    .join(":");
  return d > 0 ? `${d}d ${hms}` : hms;
}

export default function Watch() {
  const {
    booking,
    calendarHost,
    state,
    ingestOnline,
    ladder,
    studios,
    chat,
    chatOlderBefore,
    chatPaged,
    chatOpen,
    signedIn,
    pinned,
    pinChoices,
    polls,
  } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const locale = useRootData()?.locale ?? "zh-CN";
  const revalidator = useRevalidator();
  const left = useCountdown(booking.startsAt as unknown as string);
  // One socket for the viewer count and the chat, while the stream is upcoming or live.
  const socket = useLiveSocket(chatOpen);
  const viewers = useViewerCount(socket, booking.publicId, state === "live");
  // Upcoming and live pages look again every few seconds, so "live" and "ended" appear by themselves.
  useEffect(() => {
    if (state !== "upcoming" && state !== "live") return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 4000);
    return () => clearInterval(timer);
  }, [state, revalidator]);
  const studioName = locale === "en" ? booking.studioNameEn : booking.studioNameZh;
  const [shape, setShape] = useState<"portrait" | "landscape" | null>(null);
  const phoneUpright = useMediaQuery("(max-width: 600px) and (orientation: portrait)");
  const [leftFullScreen, setLeftFullScreen] = useState(false);
  const fullScreenPossible = state === "live" && shape === "portrait" && phoneUpright;
  const immersive = fullScreenPossible && !leftFullScreen;
  // The page behind the full-screen stage does not scroll.
  useEffect(() => {
    document.documentElement.classList.toggle("watch-immersive", immersive);
    return () => document.documentElement.classList.remove("watch-immersive");
  }, [immersive]);
  const src = ladder ? `/hls/ladder/${booking.publicId}.m3u8` : `/hls/${booking.publicId}.m3u8`;
  const [moveForm, moveFields] = useForm({
    id: "move",
    lastResult: actionData?.move,
    defaultValue: {
      studio: booking.studioCode,
      date: districtDate(new Date(booking.startsAt)),
      start: formatClock(districtMinute(new Date(booking.startsAt))),
      end: formatClock(districtMinute(new Date(booking.endsAt)) || 1440),
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: moveSchema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const clocks = stepClocks().map((c) => ({ value: c, label: c }));
  return (
    <article className="stack watch" data-state={state} data-shape={shape ?? undefined}>
      {/* On a phone held upright, a portrait live picture fills the screen and the chat, the poll
          and the pinned product lie over it (the stage); otherwise the stage is today's column. */}
      <div className={immersive ? "stage stage--immersive" : "stage"} data-testid="stage">
        <div className="stage__top">
          <p className={`live-state live-state--${state}`} data-testid="stream-state">
            {t(`studio.state.${state}`)}
            {state === "live" && viewers !== null ? (
              <span data-testid="viewers"> · {t("studio.viewers", { count: viewers })}</span>
            ) : null}
          </p>
          <h1>{booking.title}</h1>
          <p className="muted stage__byline">
            {t("studio.by", { business: booking.businessName })} · {studioName} ·{" "}
            {t("studio.when", {
              start: formatDateTime(booking.startsAt, locale),
              end: formatDateTime(booking.endsAt, locale),
            })}
          </p>
          {fullScreenPossible ? (
            <button
              type="button"
              className="button button--small stage__toggle"
              onClick={() => setLeftFullScreen(!leftFullScreen)}
            >
              {immersive ? t("studio.fullScreenLeave") : t("studio.fullScreenEnter")}
            </button>
          ) : null}
          {actionData?.done ? <Notice>{t(actionData.done)}</Notice> : null}
          {booking.officerReason ? (
            <p className="notice-ok">{t("studio.officerReason", { reason: booking.officerReason })}</p>
          ) : null}
        </div>

        {state === "upcoming" ? (
          <p className="countdown" data-testid="countdown">
            {left === null
              ? formatDateTime(booking.startsAt, locale)
              : left > 0
                ? t("studio.countdown", { time: formatLeft(left) })
                : t("studio.startsSoon")}
          </p>
        ) : null}
        {state === "upcoming" && !ingestOnline ? <p className="form-errors">{t("studio.ingestOffline")}</p> : null}
        {state === "live" ? <HlsPlayer key="live" src={src} live immersive={immersive} onShape={setShape} /> : null}
        {state === "ended" ? (
          booking.liveSince && !booking.replayRemovedAt ? (
            <>
              {booking.interruptedAt ? (
                <p className="form-errors" data-testid="interrupted">
                  {t("studio.interrupted")}
                </p>
              ) : null}
              <h2>{t("studio.replay")}</h2>
              <HlsPlayer key="replay" src={`/hls/${booking.publicId}.vod.m3u8`} live={false} />
            </>
          ) : (
            <p className="muted">{t("studio.noReplay")}</p>
          )
        ) : null}
        {state === "cancelled" ? <p className="form-errors">{t("studio.cancelledBody")}</p> : null}
        {state !== "cancelled" || chat.length > 0 || polls.length > 0 ? (
          <LiveChat
            key={booking.publicId}
            socket={socket}
            publicId={booking.publicId}
            initial={chat}
            olderBefore={chatOlderBefore}
            paged={chatPaged}
            open={chatOpen}
            signedIn={signedIn}
            pinned={pinned}
            pinChoices={pinChoices}
            polls={polls}
          />
        ) : null}
      </div>
      {booking.description ? <p className="description">{booking.description}</p> : null}
      <p className="feed-links">
        {t("studio.businessFeed", { business: booking.businessName })}:{" "}
        <a href={`webcal://${calendarHost}/live/ical/business/${booking.businessCode}.ics`} data-testid="webcal">
          {t("studio.webcal")}
        </a>{" "}
        · <a href={`/live/ical/business/${booking.businessCode}.ics`}>{t("studio.icsFile")}</a>
      </p>

      {booking.isMember && state !== "cancelled" ? (
        <div className="card stack">
          <p>
            <Link to={`/live/${booking.publicId}/go-live`} className="button">
              {t("studio.goLive.title")}
            </Link>
          </p>
          {state === "upcoming" && !booking.isOfficer ? (
            <Form method="post">
              <FormErrors errors={actionData?.cancel ? [actionData.cancel] : undefined} />
              <SubmitButton intent="cancel" label={t("studio.cancel")} />
            </Form>
          ) : null}
        </div>
      ) : null}

      {booking.isOfficer && state !== "cancelled" ? (
        <div className="card stack">
          <Form method="post" className="stack">
            <FormErrors errors={actionData?.cancel ? [actionData.cancel] : undefined} />
            <div className="field">
              <label htmlFor="cancel-reason">{t("studio.reason")}</label>
              <input id="cancel-reason" name="reason" required minLength={2} maxLength={500} />
            </div>
            <SubmitButton intent="cancel" label={t("studio.officerCancel")} />
          </Form>
          <Form method="post" {...getFormProps(moveForm)} className="stack">
            <h2>{t("studio.move")}</h2>
            <FormErrors id={moveForm.errorId} errors={moveForm.errors} />
            <SelectField
              meta={moveFields.studio}
              label={t("studio.form.studio")}
              options={studios.map((s) => ({ value: s.code, label: locale === "en" ? s.nameEn : s.nameZh }))}
            />
            <Field meta={moveFields.date} label={t("studio.form.date")} type={"date"} />
            <div className="field-row">
              <SelectField meta={moveFields.start} label={t("studio.form.start")} options={clocks} />
              <SelectField meta={moveFields.end} label={t("studio.form.end")} options={clocks} />
            </div>
            <Field meta={moveFields.reason} label={t("studio.reason")} />
            <SubmitButton intent="move" label={t("studio.move")} />
          </Form>
        </div>
      ) : null}
    </article>
  );
}
