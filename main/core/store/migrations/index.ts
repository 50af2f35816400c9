import { m0001 } from './0001-leads';
import { m0002 } from './0002-conversations';
import { m0003 } from './0003-conversions';
import { m0004 } from './0004-inbox';
import { m0005 } from './0005-inbox-search-order';
import { m0006 } from './0006-lead-search-batch';
import { m0007 } from './0007-inbox-filter-index';
import { m0008 } from './0008-fewer-lead-indexes';
import { m0009 } from './0009-contentless-lead-search';
import { m0010 } from './0010-stored-answers-search-text';
import { m0011 } from './0011-search-hash-size';
import { m0012 } from './0012-search-doc-on-lead';
import { m0013 } from './0013-page-unfinished-leads';
import { m0014 } from './0014-search-merge-later';
import type { Migration } from './types';

/**
 * Ascending by version; each runs once, in its own transaction. Numbers are reserved per area so
 * parallel work does not collide: 2 conversations, 3 conversions and speed to lead, 4 and 5 inbox
 * (search, saved views, history), 6 batched search indexing for sync, 7 inbox filter index, 8 fewer lead indexes for sync, 9 contentless search index, 10 stored answers search text, 11 search hash size, 12 search doc on the lead, 13 page unfinished leads, 14 search merge later. Never edit a migration that has shipped: add the next one.
 */
export const migrations: Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007, m0008, m0009, m0010, m0011, m0012, m0013, m0014];
