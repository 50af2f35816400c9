import type { NormalisedLead } from '../../main/core/leads/normalise';

/** A fetched lead as normaliseLead hands it to the store: "Person n" of Austin, on a paid Facebook form. */
export function normalisedLead(
  id: string,
  n: number,
  createdTime: number,
  extra: Partial<NormalisedLead> = {},
): NormalisedLead {
  return {
    id,
    formId: 'f1',
    createdTime,
    platform: 'facebook',
    isOrganic: false,
    adId: null,
    adName: null,
    adsetId: null,
    adsetName: null,
    campaignId: null,
    campaignName: null,
    fullName: `Person ${n}`,
    email: `person${n}@example.com`,
    phone: `+1415555${String(n).padStart(4, '0')}`,
    company: null,
    city: 'Austin',
    answers: [
      { key: 'full_name', label: 'Full name', values: [`Person ${n}`] },
      { key: 'project', label: 'Project', values: [`Greenhouse ${n}`] },
    ],
    ...extra,
  };
}
