import type { Message } from '../model/message';

/** What one node would do with the sample (see core/runtime/preview.ts). */
export interface NodePreview {
  /** The first message that reached the node. */
  input: Message;
  /**
   * `ran`: the node ran on it; `recorded`: a node that calls out, handing on its answer from the latest execution;
   * `pinned`: such a node handing on the answer pinned for it (flow `pinned`); `failed`: it failed on the message
   * (`error`); `not-run`: the preview stops here (`note` says why).
   */
  status: 'ran' | 'recorded' | 'pinned' | 'failed' | 'not-run';
  /** One message, or one per port when the node sent several. */
  output?: Message | Array<{ port: string; message: Message }>;
  port?: string;
  error?: string;
  note?: string;
  /** How many messages reached the node, when more than one did (input and output are the first one's). */
  reached?: number;
}

export interface FlowPreview {
  /** The trigger the sample entered at (absent when the flow has none). */
  triggerNodeId?: string;
  /** By node id; a node no message reached is absent. */
  nodes: Record<string, NodePreview>;
}
