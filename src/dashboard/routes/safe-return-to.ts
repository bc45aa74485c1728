/**
 * `return_to` after login: only a relative path under `/` is kept. Anything else — a second
 * slash (`//host`), a backslash, a scheme, control characters — also after percent-decoding,
 * becomes `/`.
 */
export function safeReturnTo(raw: string | undefined | null): string {
  if (!raw) return "/";
  let decoded = raw;
  for (let i = 0; i < 3; i++) {
    let next: string;
    try {
      next = decodeURIComponent(decoded);
    } catch {
      return "/";
    }
    if (next === decoded) break;
    decoded = next;
  }
  for (const candidate of [raw, decoded]) {
    if (!candidate.startsWith("/") || candidate.startsWith("//")) return "/";
    if (candidate.includes("\\")) return "/";
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(candidate)) return "/";
    if (/^\/*[a-z][a-z0-9+.-]*:/i.test(candidate)) return "/";
  }
  const url = new URL(raw, "http://dashboard.invalid");
  if (url.host !== "dashboard.invalid") return "/";
  return url.pathname + url.search + url.hash;
}
