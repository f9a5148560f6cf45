import fs from 'node:fs';
import path from 'node:path';
import { ProblemsError, type Problem } from '../model/problems';
import { deliversTo, mergeSubscriptions, validateSubscriptions, type Subscription, type SubscriptionLookup, type SubscriptionSet, type SubscriptionState } from '../model/subscription';
import { MemorySecretStore, type SecretStore } from '../secrets/secret-store';
import { writeAtomic } from './flow-repo';
import { signingSecretProblem } from '../webhook/signatures';

interface FileShape {
  draft: SubscriptionSet;
  applied: SubscriptionSet;
  savedAt?: string;
  appliedAt?: string;
  /** Secrets with a new value saved in the draft, waiting for apply (values in the secret store, never here). */
  staged?: string[];
}

const EMPTY: SubscriptionSet = { subscriptions: [] };

/** Where a draft's new secret value waits until apply; the live name keeps the value deliveries use now. */
export const stagedSecretName = (name: string) => `${name}__DRAFT`;

/** The password and signing secrets a set refers to, with the path of each (`subscriptions[0].auth.secret`). */
function secretRefs(set: SubscriptionSet): Map<string, string> {
  const refs = new Map<string, string>();
  set.subscriptions.forEach((s, i) => {
    if (s.auth.type === 'basic' && !refs.has(s.auth.passwordSecret)) refs.set(s.auth.passwordSecret, `subscriptions[${i}].auth.passwordSecret`);
    if (s.auth.type === 'standardWebhooks' && !refs.has(s.auth.secret)) refs.set(s.auth.secret, `subscriptions[${i}].auth.secret`);
  });
  return refs;
}

/**
 * Event subscriptions with a draft and an applied set, in `<dataDir>/subscriptions.json`. As on ITscope's
 * webhook page, changes take effect only when applied: saving stores a draft, Publish Event nodes read
 * only the applied set. A new password or signing secret saved with the draft is staged too (under
 * `stagedSecretName`), so live deliveries keep the old one until apply; "Send test event" uses the new one.
 *
 * @example
 * const subs = new SubscriptionRepository(dataDir, secrets);
 * subs.saveDraft({ subscriptions: [{ id: 'orders', eventType: 'ORDER', enabled: true, url: 'https://erp.example/hook' }] });
 * subs.forType('ORDER'); // [] until:
 * subs.apply();
 */
export class SubscriptionRepository implements SubscriptionLookup {
  private readonly file: string;
  private state: FileShape;

  constructor(
    dataDir: string,
    private readonly secrets: SecretStore = new MemorySecretStore(),
  ) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.file = path.join(dataDir, 'subscriptions.json');
    this.state = this.read();
  }

  getState(): SubscriptionState {
    const { draft, applied, savedAt, appliedAt } = this.state;
    const staged = this.state.staged ?? [];
    const pending = staged.length > 0 || JSON.stringify(draft) !== JSON.stringify(applied);
    return { draft, applied, savedAt, appliedAt, pending, stagedSecrets: staged, problems: [...validateSubscriptions(draft).problems, ...this.missingSecrets(draft)] };
  }

  /**
   * Validates and stores the draft; errors throw ProblemsError naming each field, warnings are returned.
   * `secretValues`: new values for the draft's password / signing secrets (blank keeps the stored value).
   */
  saveDraft(input: unknown, secretValues: Record<string, string> = {}): SubscriptionState {
    const { set, problems } = validateSubscriptions(input);
    if (!set) throw new ProblemsError(problems);
    const refs = secretRefs(set);
    const values = Object.entries(secretValues).filter(([, v]) => v !== '');
    const unused = values.filter(([n]) => !refs.has(n));
    if (unused.length) throw new ProblemsError(unused.map(([n]) => ({ path: `secrets.${n}`, code: 'invalid_value', message: 'is not the password or signing secret of any subscription in the draft' })));
    const signing = new Set(set.subscriptions.flatMap((s) => (s.auth.type === 'standardWebhooks' ? [s.auth.secret] : [])));
    const bad = values.flatMap(([n, v]) => {
      const problem = signing.has(n) ? signingSecretProblem(v) : undefined;
      return problem ? [{ path: `secrets.${n}`, code: 'invalid_value' as const, message: `signing secret ${n}: ${problem}` }] : [];
    });
    if (bad.length) throw new ProblemsError(bad);
    for (const [n, v] of values) this.secrets.set(stagedSecretName(n), v);
    // A staged value whose subscription no longer uses it is dropped with it.
    const staged = [...new Set([...(this.state.staged ?? []), ...values.map(([n]) => n)])];
    for (const n of staged) if (!refs.has(n)) this.secrets.delete(stagedSecretName(n));
    this.state = { ...this.state, draft: set, staged: staged.filter((n) => refs.has(n)), savedAt: new Date().toISOString() };
    this.write();
    return this.getState();
  }

  /** Adds a bundle's subscriptions to the draft (see mergeSubscriptions); applying makes them live. */
  mergeIntoDraft(theirs: readonly Subscription[], onConflict: 'rename' | 'replace'): Array<{ id: string; replaced?: boolean; kept?: boolean }> {
    const { list, result } = mergeSubscriptions(this.state.draft.subscriptions, theirs, onConflict);
    if (result.some((r) => !r.kept)) {
      this.state = { ...this.state, draft: { subscriptions: list }, savedAt: new Date().toISOString() };
      this.write();
    }
    return result;
  }

  /** Makes the draft live, staged secret values included. */
  apply(): SubscriptionState {
    for (const n of this.state.staged ?? []) {
      const v = this.secrets.get(stagedSecretName(n));
      if (v !== undefined) this.secrets.set(n, v);
      this.secrets.delete(stagedSecretName(n));
    }
    this.state = { ...this.state, applied: this.state.draft, staged: [], appliedAt: new Date().toISOString() };
    this.write();
    return this.getState();
  }

  /** The secret store as the draft sees it: staged values in place of the live ones (for "Send test event"). */
  draftSecrets(): SecretStore {
    const staged = new Set(this.state.staged ?? []);
    if (!staged.size) return this.secrets;
    const s = this.secrets;
    const pick = (n: string) => (staged.has(n) ? stagedSecretName(n) : n);
    return { get: (n) => s.get(pick(n)), has: (n) => s.has(pick(n)), set: (n, v) => s.set(pick(n), v), delete: (n) => s.delete(pick(n)), list: () => s.list() };
  }

  /** Enabled, applied subscribers of an event type. */
  forType(eventType: string): Subscription[] {
    return this.state.applied.subscriptions.filter((s) => deliversTo(s, eventType));
  }

  /** A subscription by id (or the first of an event type), from the draft by default: "Test" works before applying. */
  find(idOrType: string, from: 'draft' | 'applied' = 'draft'): Subscription | undefined {
    const list = this.state[from].subscriptions;
    return list.find((s) => s.id === idOrType) ?? list.find((s) => s.eventType === idOrType);
  }

  /** Warnings for enabled subscriptions whose password or signing secret has no value (stored or staged). */
  private missingSecrets(set: SubscriptionSet): Problem[] {
    const staged = new Set(this.state.staged ?? []);
    const out: Problem[] = [];
    set.subscriptions.forEach((s, i) => {
      const ref = s.auth.type === 'basic' ? ['passwordSecret', s.auth.passwordSecret] : s.auth.type === 'standardWebhooks' ? ['secret', s.auth.secret] : undefined;
      if (!s.enabled || !ref || staged.has(ref[1]) || this.secrets.has(ref[1])) return;
      out.push({ path: `subscriptions[${i}].auth.${ref[0]}`, code: 'missing_secret', message: `secret ${ref[1]} is not set: deliveries to "${s.id}" will fail`, severity: 'warning' });
    });
    return out;
  }

  private read(): FileShape {
    try {
      const raw = JSON.parse(fs.readFileSync(this.file, 'utf8'));
      const draft = validateSubscriptions(raw.draft).set ?? EMPTY;
      const applied = validateSubscriptions(raw.applied).set ?? EMPTY;
      const staged = Array.isArray(raw.staged) ? raw.staged.filter((n: unknown): n is string => typeof n === 'string') : [];
      return { draft, applied, savedAt: raw.savedAt, appliedAt: raw.appliedAt, staged };
    } catch {
      return { draft: EMPTY, applied: EMPTY };
    }
  }

  private write(): void {
    writeAtomic(this.file, JSON.stringify(this.state, null, 2));
  }
}
