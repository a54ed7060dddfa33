/** Small display formatters shared by components. */

const NOVA = /nova-(micro|lite|pro|premier)/i;

/** "us.amazon.nova-pro-v1:0" → "Nova Pro"; other ids are shown as they are. */
export function modelLabel(model: string | null | undefined): string | null {
  if (!model) return null;
  const m = NOVA.exec(model);
  if (m?.[1]) return `Nova ${m[1][0]!.toUpperCase()}${m[1].slice(1).toLowerCase()}`;
  return model;
}

export function formatCount(n: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(n);
}

export function formatSeconds(ms: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: ms < 10_000 ? 1 : 0 }).format(ms / 1000);
}

/** Costs are tiny: show enough significant digits to be meaningful. */
export function formatCost(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.000001) return '<$0.000001';
  if (usd < 0.01) return `$${usd.toPrecision(2)}`;
  return `$${usd.toFixed(usd < 1 ? 4 : 2)}`;
}

export function formatScore(score: number): string {
  return Number.isFinite(score) ? score.toFixed(2) : '—';
}

/** "14:05" today, "Mar 3" this year, else a short date. */
export function formatWhen(iso: string, locale: string, now = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const sameDay = date.toDateString() === now.toDateString();
  if (sameDay) return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(date);
  const sameYear = date.getFullYear() === now.getFullYear();
  return new Intl.DateTimeFormat(locale, sameYear ? { month: 'short', day: 'numeric' } : { dateStyle: 'medium' }).format(date);
}

export function isHttpUrl(uri: string): boolean {
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
