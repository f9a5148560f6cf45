import fs from 'node:fs';
import path from 'node:path';
import { ProblemsError } from '../model/problems';
import { validateSubscriptions, type Subscription, type SubscriptionLookup, type SubscriptionSet, type SubscriptionState } from '../model/subscription';
import { writeAtomic } from './flow-repo';

interface FileShape {
  draft: SubscriptionSet;
  applied: SubscriptionSet;
  savedAt?: string;
  appliedAt?: string;
}

const EMPTY: SubscriptionSet = { subscriptions: [] };

/**
 * Event subscriptions with a draft and an applied set, in `<dataDir>/subscriptions.json`. As on ITscope's
 * webhook page, changes take effect only when applied: saving stores a draft, Publish Event nodes read
 * only the applied set.
 *
 * @example
 * const subs = new SubscriptionRepository(dataDir);
 * subs.saveDraft({ subscriptions: [{ id: 'orders', eventType: 'ORDER', enabled: true, url: 'https://erp.example/hook' }] });
 * subs.forType('ORDER'); // [] until:
 * subs.apply();
 */
export class SubscriptionRepository implements SubscriptionLookup {
  private readonly file: string;
  private state: FileShape;

  constructor(dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.file = path.join(dataDir, 'subscriptions.json');
    this.state = this.read();
  }

  getState(): SubscriptionState {
    const { draft, applied, savedAt, appliedAt } = this.state;
    return { draft, applied, savedAt, appliedAt, pending: JSON.stringify(draft) !== JSON.stringify(applied), problems: validateSubscriptions(draft).problems };
  }

  /** Validates and stores the draft; errors throw ProblemsError naming each field, warnings are returned. */
  saveDraft(input: unknown): SubscriptionState {
    const { set, problems } = validateSubscriptions(input);
    if (!set) throw new ProblemsError(problems);
    this.state = { ...this.state, draft: set, savedAt: new Date().toISOString() };
    this.write();
    return this.getState();
  }

  /** Makes the draft live. */
  apply(): SubscriptionState {
    this.state = { ...this.state, applied: this.state.draft, appliedAt: new Date().toISOString() };
    this.write();
    return this.getState();
  }

  /** Enabled, applied subscribers of an event type. */
  forType(eventType: string): Subscription[] {
    return this.state.applied.subscriptions.filter((s) => s.enabled && s.eventType === eventType && s.url);
  }

  /** A subscription by id (or the first of an event type), from the draft by default: "Test" works before applying. */
  find(idOrType: string, from: 'draft' | 'applied' = 'draft'): Subscription | undefined {
    const list = this.state[from].subscriptions;
    return list.find((s) => s.id === idOrType) ?? list.find((s) => s.eventType === idOrType);
  }

  private read(): FileShape {
    try {
      const raw = JSON.parse(fs.readFileSync(this.file, 'utf8'));
      const draft = validateSubscriptions(raw.draft).set ?? EMPTY;
      const applied = validateSubscriptions(raw.applied).set ?? EMPTY;
      return { draft, applied, savedAt: raw.savedAt, appliedAt: raw.appliedAt };
    } catch {
      return { draft: EMPTY, applied: EMPTY };
    }
  }

  private write(): void {
    writeAtomic(this.file, JSON.stringify(this.state, null, 2));
  }
}
