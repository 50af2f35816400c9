/**
 * Reads Meta's usage headers (X-App-Usage, X-Business-Use-Case-Usage) into one figure: the
 * highest percentage used and how long Meta says to wait. Missing headers mean "unknown", not 0.
 */
export interface Usage {
  /** Highest of call_count / total_cputime / total_time across all headers, in percent. */
  maxPercent: number | null;
  /** From estimated_time_to_regain_access (minutes in Meta's header), in ms. */
  regainAccessMs: number | null;
}

export function parseUsage(headers: Headers): Usage {
  let maxPercent: number | null = null;
  let regainAccessMs: number | null = null;
  const bump = (v: unknown) => {
    if (typeof v === 'number' && Number.isFinite(v)) maxPercent = Math.max(maxPercent ?? 0, v);
  };
  const app = safeJson(headers.get('x-app-usage'));
  if (app && typeof app === 'object') {
    const a = app as Record<string, unknown>;
    bump(a.call_count);
    bump(a.total_cputime);
    bump(a.total_time);
  }
  const buc = safeJson(headers.get('x-business-use-case-usage'));
  if (buc && typeof buc === 'object') {
    for (const entries of Object.values(buc as Record<string, unknown>)) {
      if (!Array.isArray(entries)) continue;
      for (const e of entries as Record<string, unknown>[]) {
        bump(e.call_count);
        bump(e.total_cputime);
        bump(e.total_time);
        const mins = e.estimated_time_to_regain_access;
        if (typeof mins === 'number' && mins > 0) {
          regainAccessMs = Math.max(regainAccessMs ?? 0, mins * 60_000);
        }
      }
    }
  }
  return { maxPercent, regainAccessMs };
}

function safeJson(text: string | null): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
