import { z } from 'zod';
import { leadDetailSchema, leadRowSchema, platformSchema } from '../domain/leads';
import { method } from './method';

const id = z.string().min(1).max(64);
const idList = z.array(id).max(200);
/** Pipeline stage names are owner-editable, so they are validated against the stored list in main. */
export const stageName = z.string().trim().min(1).max(40);
const tagName = z.string().trim().min(1).max(40);

/** How a list is ordered; every order ends with the lead id so pages never overlap. */
export const leadSortSchema = z.enum([
  'created_desc',
  'created_asc',
  'name_asc',
  'name_desc',
  'status_asc',
]);
export type LeadSort = z.infer<typeof leadSortSchema>;

/** Filters combine with AND across kinds and OR within one kind (two statuses = either). */
export const leadFilterSchema = z.object({
  /** Full-text query over names, emails, phones (also digits only), companies, cities, answers. */
  query: z.string().max(200).optional(),
  pageIds: idList.optional(),
  formIds: idList.optional(),
  platforms: z.array(platformSchema).max(2).optional(),
  statuses: z.array(stageName).max(50).optional(),
  tags: z.array(tagName).max(50).optional(),
  /** Created time window, Unix ms, inclusive from / exclusive to. */
  from: z.number().int().optional(),
  to: z.number().int().optional(),
  /** Only leads nobody has contacted yet (no first contact recorded). */
  uncontacted: z.boolean().optional(),
});
export type LeadFilter = z.infer<typeof leadFilterSchema>;

/** Keyset cursor: the sort key and id of the last row already shown. */
export const leadCursorSchema = z.object({
  key: z.union([z.number(), z.string()]),
  id,
});

export const leadsListInput = leadFilterSchema.extend({
  sort: leadSortSchema.default('created_desc'),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(100),
  /** Continue after this row instead of skipping `offset` rows (cheaper deep in a list). */
  after: leadCursorSchema.optional(),
});

const historyEntrySchema = z.object({
  at: z.number(),
  field: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
});
export type LeadHistoryEntry = z.infer<typeof historyEntrySchema>;

const updatedCount = z.object({ updated: z.number() });

export const leadMethods = {
  'leads.list': method(
    leadsListInput,
    z.object({
      rows: z.array(leadRowSchema),
      total: z.number(),
      /** Set when a search matches more leads than were counted: total is a lower bound ("1,000+"). */
      totalCapped: z.boolean().optional(),
      /** Pass back as `after` to fetch the following page. */
      next: leadCursorSchema.nullable(),
    }),
  ),
  'leads.get': method(z.object({ id }), leadDetailSchema),
  /** Moves leads to a pipeline stage; records history; unknown stages are refused. */
  'leads.setStatus': method(z.object({ ids: idList.min(1), status: stageName }), updatedCount),
  'leads.tag': method(
    z.object({ ids: idList.min(1), add: z.array(tagName).max(20).default([]), remove: z.array(tagName).max(20).default([]) }),
    updatedCount,
  ),
  'leads.setNotes': method(z.object({ id, notes: z.string().max(20_000) }), updatedCount),
  /** A follow-up date (Unix ms) raises a reminder notification when due; null clears it. */
  'leads.setFollowUp': method(z.object({ id, at: z.number().int().nullable() }), updatedCount),
  'leads.history': method(z.object({ id }), z.array(historyEntrySchema)),
  /** Values the filter bar offers: pages, forms, tags in use, stages. */
  'leads.facets': method(
    z.object({}).default({}),
    z.object({
      pages: z.array(z.object({ id: z.string(), name: z.string() })),
      forms: z.array(z.object({ id: z.string(), name: z.string(), pageId: z.string() })),
      tags: z.array(z.string()),
    }),
  ),
};

export const leadEvents = {
  /** A lead we had not seen before is in the store (pending or complete). */
  'lead.received': z.object({ lead: leadRowSchema }),
  /** A stored lead changed: fields fetched, status, tags, notes. */
  'lead.updated': z.object({ lead: leadRowSchema }),
};
