import type { Control } from './control';
import { locales } from './names';

/**
 * Seeded scenarios: N pages, M forms per page, K leads spread over `days` days, with believable
 * people in several languages and scripts; plus Messenger/Instagram threads and a WhatsApp number
 * when asked. The same seed gives the same ids, names and times (the simulator's PRNG is seeded).
 */
export interface ScenarioSpec {
  name?: 'demo' | 'empty' | 'custom';
  pages?: number;
  formsPerPage?: number;
  /** Total leads, split across all forms. */
  leads?: number;
  days?: number;
  /** Messenger/Instagram conversations per page. */
  conversations?: number;
  whatsapp?: boolean;
  /** A Conversions API dataset the owner can send CRM events to. */
  dataset?: boolean;
}

export interface ScenarioSummary {
  userId: string;
  userToken: string;
  pages: {
    id: string;
    name: string;
    accessToken: string;
    instagramId: string | null;
    forms: string[];
  }[];
  leads: number;
  conversations: number;
  whatsapp: { wabaId: string; phoneNumberId: string; systemUserToken: string } | null;
  datasetId: string | null;
}

export const demoSpec: Required<Omit<ScenarioSpec, 'name'>> = {
  pages: 3,
  formsPerPage: 2,
  leads: 600,
  days: 90,
  conversations: 6,
  whatsapp: true,
  dataset: true,
};

export function applyScenario(control: Control, input: ScenarioSpec = {}): ScenarioSummary {
  const spec =
    input.name === 'empty'
      ? {
          pages: 0,
          formsPerPage: 0,
          leads: 0,
          days: 90,
          conversations: 0,
          whatsapp: false,
          dataset: false,
        }
      : { ...demoSpec, ...(input.name === 'demo' || !input.name ? {} : {}), ...input };
  const userId = control.ownerId();
  const pages: ScenarioSummary['pages'] = [];
  const forms: string[] = [];
  for (let p = 0; p < spec.pages; p++) {
    const page = control.createPage({ userId, instagram: p % 2 === 0 });
    const pageForms: string[] = [];
    for (let f = 0; f < spec.formsPerPage; f++) {
      // Rotate locales so every script shows up in a demo of a few forms.
      const locale = locales[(p * spec.formsPerPage + f) % locales.length]!.locale;
      const form = control.createForm({ pageId: page.id, locale });
      pageForms.push(form.id);
      forms.push(form.id);
    }
    pages.push({ ...page, forms: pageForms });
  }
  let leads = 0;
  if (forms.length > 0 && spec.leads > 0) {
    const toS = Math.floor(control.nowMs() / 1000);
    const fromS = toS - spec.days * 86400;
    forms.forEach((formId, i) => {
      const share = Math.floor(spec.leads / forms.length) + (i < spec.leads % forms.length ? 1 : 0);
      leads += control.createLeads(formId, share, { fromS, toS });
    });
  }
  let conversations = 0;
  for (const page of pages)
    conversations += control.seedConversations(page.id, spec.conversations, spec.days);
  const whatsapp = spec.whatsapp ? control.seedWhatsApp(userId) : null;
  const datasetId = spec.dataset ? control.createDataset({ userId }).id : null;
  return {
    userId,
    userToken: control.userToken(userId),
    pages,
    leads,
    conversations,
    whatsapp,
    datasetId,
  };
}
