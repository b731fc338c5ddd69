import { useTranslation } from "~/i18n/react";
import { formatFen } from "~/domain/market/money";

export function Money({ fen }: { fen: number }) {
  return <span className="money">{formatFen(fen)}</span>;
}

export function OrderStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <span className={`order-status order-status--${status}`}>{t(`market.status.${status}`)}</span>;
}

/** Which mode the shop is in: online payment through Stripe, or reserve and pay at pickup. */
export function ModeNotice({ mode }: { mode: "stripe" | "at_pickup" }) {
  const { t } = useTranslation();
  return (
    <p className="market-mode" data-testid="market-mode" data-mode={mode}>
      {t(`market.mode.${mode}`)}
    </p>
  );
}
