import { defineMessages } from "../shape";

/** Refusals of malformed or oversized requests, the login throttle and pickup reservations. */
export const securityMessages = defineMessages(
  {
    tooLargeTitle: "提交的内容太大",
    tooLargeBody: "这次提交的内容超过了 {{limit}} 的上限，服务器没有接收。请减小内容或图片后重试。",
    lengthRequiredTitle: "请求缺少长度",
    lengthRequiredBody: "这次提交没有说明内容的长度，服务器没有接收。请在页面上重新提交。",
    controlChars: "输入不能包含控制字符。",
    idInvalid: "编号无效。",
    uploadInvalid: "上传的文件格式有误，请重新选择文件。",
    tooManyFiles: "一次上传的文件太多了。",
    fileTooLarge: "上传的文件太大了。",
    tooManyAttempts: "登录失败次数过多，请 {{minutes}} 分钟后再试。",
    tooManyFromHere: "这个网络的登录失败次数过多，请稍后再试。",
    reservationCap: "同一商品待自提未付款的数量最多 {{max}} 件，请先取走或取消之前的订单。",
    pickupLocked: "取货码错误次数过多，这个订单已锁定，请联系商家处理。",
    extendInvalid: "只能延长待自提、未付款的订单，每次 1 到 7 天。",
    reservedUntil: "未付款，保留至 {{time}}，到期自动取消并恢复库存。",
    extend: "延长保留 2 天",
  },
  {
    tooLargeTitle: "What you sent is too large",
    tooLargeBody:
      "This submission is over the {{limit}} limit and was not accepted. Make it or its pictures smaller and try again.",
    lengthRequiredTitle: "Length required",
    lengthRequiredBody:
      "This submission did not say how long it is and was not accepted. Please submit it again from the page.",
    controlChars: "The text must not contain control characters.",
    idInvalid: "That id is not valid.",
    uploadInvalid: "The uploaded file is malformed; please choose the file again.",
    tooManyFiles: "Too many files in one upload.",
    fileTooLarge: "An uploaded file is too large.",
    tooManyAttempts: "Too many failed logins. Try again in {{minutes}} minutes.",
    tooManyFromHere: "Too many failed logins from this network. Try again later.",
    reservationCap:
      "You may hold at most {{max}} of one product unpaid for pickup. Collect or cancel your earlier order first.",
    pickupLocked: "Too many wrong pickup codes: this order is locked. Ask the shop to help.",
    extendInvalid: "Only unpaid pickup orders can be extended, by 1 to 7 days at a time.",
    reservedUntil: "Unpaid, held until {{time}}; then cancelled and back in stock.",
    extend: "Hold 2 more days",
  },
);
