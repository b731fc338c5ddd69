import { defineMessages } from "../shape";

/** The live chat beside a stream. */
export const chatMessages = defineMessages(
  {
    title: "聊天",
    empty: "请输入内容。",
    tooLong: "一条消息最多 200 个字。",
    invalid: "消息格式有误。",
    closed: "直播已结束，聊天只能查看。",
    placeholder: "说点什么…",
    label: "聊天消息",
    send: "发送",
    sending: "发送中…",
    signIn: "登录后参与聊天",
    noMessages: "还没有人说话。",
    readOnly: "直播已结束，以下是直播时的聊天记录。",
    connecting: "正在连接聊天…",
    reconnecting: "聊天已断开，正在重连…",
    failed: "发送失败，请重试。",
  },
  {
    title: "Chat",
    empty: "Type a message first.",
    tooLong: "A message may be at most 200 characters.",
    invalid: "This message is malformed.",
    closed: "The stream has ended; its chat is read-only.",
    placeholder: "Say something…",
    label: "Chat message",
    send: "Send",
    sending: "Sending…",
    signIn: "Log in to chat",
    noMessages: "Nobody has said anything yet.",
    readOnly: "The stream has ended; this is its chat.",
    connecting: "Connecting to the chat…",
    reconnecting: "The chat is disconnected; reconnecting…",
    failed: "Could not send; please try again.",
  },
);
