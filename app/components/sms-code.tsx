import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** What a form's action answers when its "send code" button was pressed. */
export interface CodeSent {
  phone: string;
  /** The development outbox holds the code (outside production): link to it. */
  outbox: boolean;
}

/** The "send code" button: submits the form with intent=send-code (only the number is checked). */
export function SendCodeButton() {
  const { t } = useTranslation();
  return (
    <button type="submit" name="intent" value="send-code" className="button" formNoValidate>
      {t("security.sendCode")}
    </button>
  );
}

/** "A code was sent to …", and in development a link to the outbox. */
export function CodeSentNotice({ sent }: { sent: CodeSent | null | undefined }) {
  const { t } = useTranslation();
  if (!sent) return null;
  return (
    <div className="notice-ok" role="status" data-testid="code-sent">
      <p>{t("security.codeSent", { phone: sent.phone })}</p>
      {sent.outbox ? (
        <p>
          {t("security.devOutboxHint")}{" "}
          <Link to="/dev/sms" target="_blank" rel="noreferrer">
            {t("security.devOutboxLink")}
          </Link>
        </p>
      ) : null}
    </div>
  );
}
