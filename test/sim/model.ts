/**
 * The simulator's data model: plain records held in maps by the SimState. Field names mirror what
 * the Graph API returns where they leave the simulator (meta-platform.md §3–§5).
 */
export type TokenKind = 'user' | 'page' | 'system_user' | 'app';

export interface SimToken {
  value: string;
  kind: TokenKind;
  appId: string;
  /** User or system user the token acts for. */
  userId: string | null;
  /** For page tokens: the one page it may act on. */
  pageId: string | null;
  scopes: string[];
  issuedAt: number;
  /** Unix seconds; 0 = never. */
  expiresAt: number;
  longLived: boolean;
  /** 190 subcode once invalidated (458 app removed, 460 password, 467 logged out, 492 role lost). */
  invalid: number | null;
  /** A page token derived from this user token dies with it. */
  parent: string | null;
}

export interface SimUser {
  id: string;
  name: string;
  email: string;
  system: boolean;
  scopes: string[];
  /** page id → tasks on that page (ADVERTISE, ANALYZE, CREATE_CONTENT, MESSAGING, MODERATE, MANAGE). */
  pages: Map<string, string[]>;
  wabaIds: Set<string>;
  datasetIds: Set<string>;
  /** Unix seconds of the last login; data access ends 90 days later. */
  lastLoginAt: number;
}

export interface SimPage {
  id: string;
  name: string;
  category: string;
  igAccount: { id: string; username: string; name: string } | null;
  /** app id → subscribed_fields. */
  subscribed: Map<string, string[]>;
  formIds: string[];
}

export interface Question {
  key: string;
  label: string;
  type: string;
  id: string;
  options?: { key: string; value: string }[];
}

export interface FieldDatum {
  name: string;
  values: string[];
}

export interface SimForm {
  id: string;
  pageId: string;
  name: string;
  status: 'ACTIVE' | 'ARCHIVED' | 'DELETED' | 'DRAFT';
  locale: string;
  createdTime: number;
  questions: Question[];
  privacyPolicyUrl: string;
  leads: import('./leadIndex').LeadIndex;
  /** Builds field_data for generated leads on demand, so a million leads stay small in memory. */
  generate: ((index: number) => FieldDatum[]) | null;
  testLeadId: string | null;
}

export interface AdInfo {
  adId: string;
  adName: string;
  adsetId: string;
  adsetName: string;
  campaignId: string;
  campaignName: string;
}

export interface SimLead {
  id: string;
  formId: string;
  pageId: string;
  /** Unix seconds. */
  createdTime: number;
  fieldData: FieldDatum[] | null;
  /** Index into form.generate when fieldData is null. */
  genIndex: number;
  ad: AdInfo | null;
  platform: 'fb' | 'ig';
  isTest: boolean;
  /** Last serialisation: most clients ask for the same fields every time. */
  cache: { key: string; json: string } | null;
}

export interface SimPerson {
  /** PSID (Messenger) or IGSID (Instagram). */
  id: string;
  pageId: string;
  platform: 'messenger' | 'instagram';
  firstName: string;
  lastName: string;
  username: string | null;
  conversationId: string;
  /** Unix ms of the person's last message to the page; opens the 24 h window. */
  lastInboundAt: number | null;
}

export interface SimMessage {
  id: string;
  conversationId: string;
  fromPage: boolean;
  text: string;
  attachments: { type: string; url: string }[];
  createdTime: number;
}

export interface SimConversation {
  id: string;
  pageId: string;
  platform: 'messenger' | 'instagram';
  personId: string;
  messages: SimMessage[];
  updatedTime: number;
}

export interface SimTemplate {
  id: string;
  name: string;
  language: string;
  status: 'APPROVED' | 'PENDING' | 'REJECTED';
  category: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
  components: unknown[];
}

export interface SimWaba {
  id: string;
  name: string;
  currency: string;
  timezoneId: string;
  namespace: string;
  phoneIds: string[];
  templates: SimTemplate[];
  subscribed: Map<string, string[]>;
}

export interface SimPhone {
  id: string;
  wabaId: string;
  displayPhoneNumber: string;
  verifiedName: string;
  qualityRating: 'GREEN' | 'YELLOW' | 'RED';
}

export interface WaContact {
  phoneId: string;
  waId: string;
  /** Business-scoped user id (BSUID), sent since 2026 (meta-platform.md §2.5). */
  userId: string;
  name: string;
  lastInboundAt: number | null;
}

export interface WaMessage {
  id: string;
  phoneId: string;
  waId: string;
  direction: 'in' | 'out';
  type: string;
  body: unknown;
  timestamp: number;
}

export interface SimMedia {
  id: string;
  phoneId: string;
  mimeType: string;
  bytes: Buffer;
  sha256: string;
  /** Unix ms; webhook media ids stop resolving after 7 days (meta-platform.md §5). */
  createdAt: number;
}

export interface SimDataset {
  id: string;
  name: string;
}
