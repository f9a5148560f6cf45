/** The parameters of `step` writes packed for the writer thread (see inline-steps-json.cjs). */
export declare function packSteps(steps: ReadonlyArray<Record<string, any>>): unknown[];
/** The inline steps JSON from packed steps. */
export declare function inlineStepsJson(packed: ReadonlyArray<unknown>): string;
/** A step payload as JSON: JSON text already, or [before, text, after] around a string to escape. */
export declare function payloadJson(payload: string | readonly [string, string, string]): string;
