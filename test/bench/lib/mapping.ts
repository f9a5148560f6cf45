import type { sampleOrder } from '../sections/request-response';

export type SampleOrder = typeof sampleOrder;

/** The transform section's mapping as the Map node's JSONata expression. */
export const ORDER_MAPPING = `{
  "orderId": data.orderId,
  "customerId": data.customer.id,
  "customer": data.customer.name,
  "city": data.shipTo.city,
  "country": data.shipTo.country,
  "total": $sum(data.lines.(qty * price)),
  "items": $count(data.lines)
}`;

/** The same mapping written by hand (the bare baseline); the section checks both answer the same JSON. */
export function mapOrderByHand(o: SampleOrder) {
  let total = 0;
  for (const l of o.lines) total += l.qty * l.price;
  return {
    orderId: o.orderId,
    customerId: o.customer.id,
    customer: o.customer.name,
    city: o.shipTo.city,
    country: o.shipTo.country,
    total,
    items: o.lines.length,
  };
}
