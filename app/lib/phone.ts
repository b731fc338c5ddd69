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

// A mainland mobile (possibly written with spaces or dashes, +86 in front) and an 18-character
// resident ID card number, not inside a longer run of digits.
const mobileInText = /(?<![0-9０-９])(?:\+?86[\s-]?)?1[3-9](?:[\s-]?\d){9}(?![0-9０-９])/g;
const idCardInText =
  /(?<![0-9０-９])\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9０-９A-Za-z])/g;

/**
 * Public text with personal numbers masked: ID card numbers keep their first 4 and last 4
 * characters (`4110**********1234`), mobile numbers their first 3 and last 4 (`138****1234`).
 * Full-width digits are read as digits.
 */
export function maskPersonalText(text: string): string {
  const halfWidth = text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  if (!/\d{6}|1[3-9][\s-]?\d/.test(halfWidth)) return text;
  return halfWidth
    .replace(idCardInText, (id) => `${id.slice(0, 4)}**********${id.slice(-4)}`)
    .replace(mobileInText, (m) => {
      const digits = m.replace(/\D/g, "").slice(-11);
      return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
    });
}
