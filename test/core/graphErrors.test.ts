import { describe, expect, it } from 'vitest';
import { classify, GraphError } from '../../main/core/graph/errors';
import { problemFromGraphError } from '../../main/core/graph/problems';

const err = (
  status: number,
  code: number | null,
  subcode?: number,
  message = 'Some text Meta may change',
) =>
  new GraphError({
    status,
    body: code === null ? null : { message, code, error_subcode: subcode },
  });

describe('Graph errors are classified by code and subcode, never by text', () => {
  it.each([
    [400, 190, 'reauth'],
    [400, 102, 'reauth'],
    [403, 10, 'reauth'],
    [403, 200, 'reauth'],
    [403, 299, 'reauth'],
    [400, 4, 'rate_limit'],
    [400, 17, 'rate_limit'],
    [400, 32, 'rate_limit'],
    [400, 613, 'rate_limit'],
    [400, 80005, 'rate_limit'],
    [429, null, 'rate_limit'],
    [500, 1, 'retry'],
    [503, null, 'retry'],
    [0, null, 'retry'],
    [400, 100, 'fail'],
    [400, 368, 'fail'],
  ] as const)('HTTP %i code %s → %s', (status, code, action) => {
    expect(classify(status, code)).toBe(action);
  });

  it('explains 190 subcodes with the reconnect fix, whatever the message says', () => {
    const a = problemFromGraphError(
      err(400, 190, 460, 'Error validating access token: password changed'),
      'Bakery',
    );
    const b = problemFromGraphError(
      err(400, 190, 460, 'Sitzung ungültig (localised text)'),
      'Bakery',
    );
    expect(a).toEqual(b);
    expect(a.message).toMatch(/password changed/);
    expect(a.fix).toMatch(/Reconnect Facebook/);
    expect(problemFromGraphError(err(400, 190, 492), 'Bakery').message).toMatch(
      /no longer have a role/,
    );
  });

  it('points lead-access restrictions at the Leads Access Manager, not at a reconnect', () => {
    const p = problemFromGraphError(err(403, 200, 1815002), 'Bakery');
    expect(p.code).toBe('lead_access');
    expect(p.fix).toMatch(/Leads Access/);
    expect(problemFromGraphError(err(403, 200), 'Bakery').code).toBe('permission_200');
  });

  it('keeps Meta’s wait estimate from the usage headers', () => {
    const e = new GraphError({
      status: 400,
      body: { message: 'x', code: 80005 },
      retryAfterMs: 120_000,
    });
    expect(e.action).toBe('rate_limit');
    expect(e.retryAfterMs).toBe(120_000);
  });
});
