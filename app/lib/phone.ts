/** Phone numbers as people type them: full-width digits, spaces, dashes, a +86 prefix. */
export function normalizePhoneInput(input: string): string {
  return input
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000\-－—()（）]/g, "")
    .replace(/^(\+|＋|00)?86(?=1\d{10}$)/, "");
}

const mainlandMobile = /^1[3-9]\d{9}$/;

export function isMainlandMobile(phone: string): boolean {
  return mainlandMobile.test(phone);
}

/** `13812341234` → `138****1234`; anything else keeps only its last four digits. */
export function maskPhone(phone: string): string {
  if (phone.length >= 11) return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
  if (phone.length > 4) return `${"*".repeat(phone.length - 4)}${phone.slice(-4)}`;
  return "****";
}
