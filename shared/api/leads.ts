import { z } from 'zod';
import { leadDetailSchema, leadRowSchema } from '../domain/leads';
import { method } from './method';

const id = z.string().min(1).max(64);

export const leadsListInput = z.object({
  /** Full-text query over names, emails, phones, companies and answers. */
  query: z.string().max(200).optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(100),
});

export const leadMethods = {
  'leads.list': method(
    leadsListInput,
    z.object({ rows: z.array(leadRowSchema), total: z.number() }),
  ),
  'leads.get': method(z.object({ id }), leadDetailSchema),
};

export const leadEvents = {
  /** A lead we had not seen before is in the store (pending or complete). */
  'lead.received': z.object({ lead: leadRowSchema }),
  /** A stored lead changed: fields fetched, status, tags, notes. */
  'lead.updated': z.object({ lead: leadRowSchema }),
};
