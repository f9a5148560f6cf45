/**
 * The typical ITscope event -> ERP XML document, shared by the `template` and `relay` sections: the event,
 * the Hookline template and a hand-written string-building function that produces the same bytes.
 */

/** An ITscope order event (the 9 envelope fields) with 5 order lines. */
export function itscopeEvent(n = 0) {
  return {
    eventId: `e2a6a466-3b62-4bb7-af53-${String(100000000000 + n)}`,
    timestamp: '2026-11-22T08:01:36',
    eventType: 'ORDERRESPONSE',
    transactionStatus: 'ADVISED',
    orderId: `SO-${100000 + n}`,
    itscopeOrderId: `ITS-${778000 + n}-789`,
    documentId: String(123456789 + n),
    // `&` in a URL is the usual value that needs escaping; it keeps both builders' escape paths honest.
    documentUrl: `https://api.itscope.com/2.1/business/documents/${123456789 + n}/ORDERRESPONSE.xml?format=xml&lang=de`,
    transactionId: '123456789-1234-5678-9123-12SAMPLE4567',
    lines: [
      { sku: 'ITS-4411', qty: 2, price: 129.9 },
      { sku: 'ITS-9001', qty: 1, price: 15.5 },
      { sku: 'ITS-0102', qty: 10, price: 2.35 },
      { sku: 'B&O-H95', qty: 1, price: 799 },
      { sku: 'ITS-7730', qty: 4, price: 44.99 },
    ],
  };
}
export type ItscopeEvent = ReturnType<typeof itscopeEvent>;

/** The ERP document as a Hookline XML template (compiled once with compileTemplate). */
export const ERP_TEMPLATE = `<?xml version="1.0" encoding="UTF-8"?>
<ErpOrderEvent type="{{ data.eventType }}">
  <EventId>{{ data.eventId }}</EventId>
  <Timestamp>{{ data.timestamp }}</Timestamp>
  <Status>{{ data.transactionStatus }}</Status>
  <OrderId>{{ data.orderId }}</OrderId>
  <ItscopeOrderId>{{ data.itscopeOrderId }}</ItscopeOrderId>
  <Document id="{{ data.documentId }}">{{ data.documentUrl }}</Document>
  <TransactionId>{{ data.transactionId }}</TransactionId>
  <Lines>{{#each data.lines as line}}
    <Line sku="{{ line.sku }}"><Qty>{{ line.qty }}</Qty><Price>{{ line.price }}</Price></Line>{{/each}}
  </Lines>
</ErpOrderEvent>`;

const TEXT_SPECIAL = /[&<>]/;
const ATTR_SPECIAL = /[&<>"']/;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const entity = (c: string) => ENTITIES[c];

/** Escapes element text the way a careful hand-written builder would: test first, replace only when needed. */
export function xmlText(v: unknown): string {
  const s = typeof v === 'string' ? v : String(v ?? '');
  return TEXT_SPECIAL.test(s) ? s.replace(/[&<>]/g, entity) : s;
}

export function xmlAttr(v: unknown): string {
  const s = typeof v === 'string' ? v : String(v ?? '');
  return ATTR_SPECIAL.test(s) ? s.replace(/[&<>"']/g, entity) : s;
}

/** The same document as ERP_TEMPLATE, built by hand (the baseline). */
export function buildErpXml(e: ItscopeEvent): string {
  let lines = '';
  for (const l of e.lines) lines += `\n    <Line sku="${xmlAttr(l.sku)}"><Qty>${xmlText(l.qty)}</Qty><Price>${xmlText(l.price)}</Price></Line>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErpOrderEvent type="${xmlAttr(e.eventType)}">\n` +
    `  <EventId>${xmlText(e.eventId)}</EventId>\n` +
    `  <Timestamp>${xmlText(e.timestamp)}</Timestamp>\n` +
    `  <Status>${xmlText(e.transactionStatus)}</Status>\n` +
    `  <OrderId>${xmlText(e.orderId)}</OrderId>\n` +
    `  <ItscopeOrderId>${xmlText(e.itscopeOrderId)}</ItscopeOrderId>\n` +
    `  <Document id="${xmlAttr(e.documentId)}">${xmlText(e.documentUrl)}</Document>\n` +
    `  <TransactionId>${xmlText(e.transactionId)}</TransactionId>\n` +
    `  <Lines>${lines}\n  </Lines>\n</ErpOrderEvent>`
  );
}
