import { applyScenario, type ScenarioSpec, type ScenarioSummary } from '../scenario';
import { MessagingControl } from './messaging';

const todo = (what: string) => {
  throw new Error(`${what}: not implemented yet`);
};

export class Control extends MessagingControl {
  createWhatsApp(_i: unknown): unknown {
    return todo('createWhatsApp');
  }
  whatsappInbound(_i: unknown): unknown {
    return todo('whatsappInbound');
  }
  whatsappStatus(_i: unknown): unknown {
    return todo('whatsappStatus');
  }
  /** A Conversions API dataset (pixel) the user's tokens may send events to. */
  createDataset(input: { userId?: string; name?: string } = {}): { id: string; name: string } {
    const id = this.state.newId('dataset');
    const name = input.name ?? 'Lead Inbox CRM events';
    this.state.datasets.set(id, { id, name });
    this.mustUser(input.userId ?? this.ownerId()).datasetIds.add(id);
    return { id, name };
  }
  capiEvents(): unknown[] {
    return [];
  }
  seedWhatsApp(_userId: string): { wabaId: string; phoneNumberId: string; systemUserToken: string } | null {
    return null;
  }
  loadScenario(spec: ScenarioSpec = {}): ScenarioSummary {
    return applyScenario(this, spec);
  }
}
