/** The values of one step, in order (see inline-steps-json.cjs). */
export declare const FIELDS: readonly string[];
/** The inline steps JSON from steps flattened into one array (FIELDS.length values per step). */
export declare function inlineStepsJson(flat: ReadonlyArray<unknown>): string;
