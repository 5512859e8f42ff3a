// Masking for values shown on cards: the customer's contact is internal (docs/spec.md: full value only to handlers).

const STAR = "*";

/** Keep the first and last character, star the middle (at most 6 stars so long values don't leak their length). */
function keepEnds(value: string): string {
  const chars = Array.from(value);
  if (chars.length === 0) return "";
  if (chars.length === 1) return STAR;
  if (chars.length === 2) return `${chars[0]}${STAR}`;
  return `${chars[0]}${STAR.repeat(Math.min(chars.length - 2, 6))}${chars[chars.length - 1]}`;
}

function maskEmail(local: string, domain: string): string {
  const chars = Array.from(local);
  // A fixed 4 stars: the local part's length is not revealed; 1–2 char locals keep only the first.
  const head = chars[0] ?? "";
  const tail = chars.length > 2 ? chars[chars.length - 1] : "";
  return `${head}****${tail}@${domain}`;
}

/** Mask a run of digits (a phone number, possibly with +86 / separators): keep first 3 and last 4 digits. */
function maskPhone(raw: string): string {
  const m = /^(\+?86[\s-]?)?(.*)$/.exec(raw);
  const cc = m?.[1] ?? "";
  const digits = (m?.[2] ?? raw).replace(/\D/g, "");
  if (digits.length < 7) return `${cc}${keepEnds(digits)}`;
  return `${cc}${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

const EMAIL = /([A-Za-z0-9._%+-]+)@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;
// Mobile (1[3-9] + 9 digits, optional +86, spaces/dashes) or landline (0 + area code + 7–8 digits).
const PHONE = /(?<!\d)(?:\+?86[\s-]?)?(?:1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|0\d{2,3}[\s-]?\d{7,8})(?!\d)/g;

/**
 * 13812345678 → 138****5678, abc.def@x.com → a****f@x.com; phones and emails inside a longer value
 * ("张先生 13812345678") are masked in place; anything else keeps its first and last character.
 */
export function maskContact(s: string): string {
  const value = s.trim();
  if (!value) return "";
  let found = false;
  const masked = value
    .replace(EMAIL, (_m, local: string, domain: string) => {
      found = true;
      return maskEmail(local, domain);
    })
    .replace(PHONE, (m) => {
      found = true;
      return maskPhone(m);
    });
  if (found) return masked;
  // Digits-only values that are not a recognised phone (extensions, foreign numbers): same 3+4 rule.
  if (/^\+?[\d\s-]{7,}$/.test(value)) return maskPhone(value);
  return keepEnds(value);
}

/** Person names on shared cards: 张三 → 张*, 张三丰 → 张*丰, 欧阳娜娜 → 欧**娜. */
export function maskName(s: string): string {
  return keepEnds(s.trim());
}
