// Builds examples/*.bundle.json from the definitions below (`npm run docs` runs it; a test checks the files
// are current). Keep the names and variables: the quick start, the README and the tests use them.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle, serializeBundle } from '../core/bundle/bundle';
import { flowSchema, type FlowInput } from '../core/model/flow';

const CREATED = '2026-11-22T00:00:00.000Z';
const EVENT_FIELDS = ['eventId', 'timestamp', 'eventType', 'transactionStatus', 'orderId', 'itscopeOrderId', 'documentId', 'documentUrl', 'transactionId'];

const itscopeFlow: FlowInput = {
  formatVersion: 1,
  id: 'itscope-to-erp',
  name: 'ITscope events to ERP',
  description: 'Receives ITscope order/delivery/invoice events and forwards each, in order and once, as XML to the ERP.',
  nodes: [
    {
      id: 'events',
      type: 'webhook',
      name: 'ITscope events',
      position: { x: 0, y: 100 },
      settings: {
        methods: ['POST'],
        path: '/itscope/events',
        auth: { type: 'apiKey', header: 'X-API-Key', allowBearer: false, keys: [{ id: 'itscope', label: 'ITscope', secret: 'ITSCOPE_API_KEY' }] },
        responseMode: 'async',
        ordered: true,
        onFailure: 'halt',
        idempotencyKey: 'body.eventId',
        idempotencyWindowSec: 7 * 86_400,
        bodySchema: {
          type: 'object',
          required: EVENT_FIELDS,
          properties: {
            ...Object.fromEntries(EVENT_FIELDS.map((f) => [f, { type: 'string', minLength: 1 }])),
            eventType: { enum: ['ORDER', 'ORDERRESPONSE', 'DELIVERY', 'INVOICE'] },
          },
        },
      },
    },
    {
      id: 'to-erp',
      type: 'http-request',
      name: 'POST to ERP',
      position: { x: 320, y: 100 },
      settings: {
        method: 'POST',
        url: '{{ $env.ERP_URL }}',
        contentType: 'application/xml',
        connectionId: 'erp',
        headers: [{ name: 'X-Requestor', value: 'hookline' }],
        body: ['<?xml version="1.0" encoding="UTF-8"?>', '<ItscopeEvent>', ...EVENT_FIELDS.map((f) => `  <${f}>{{ data.${f} }}</${f}>`), '</ItscopeEvent>'].join('\n'),
        retry: { retryCount: 5, retryIntervalMs: 200, backoff: 'fixed' },
        timeoutMs: 10_000,
      },
    },
  ],
  edges: [{ id: 'e1', source: 'events', target: 'to-erp' }],
  settings: { diagnostics: 'full', businessKey: 'trigger.body.orderId' },
  sample: { data: { eventId: 'e2a6a466-3b62-4bb7-af53-b59aec592b49', timestamp: '2023-10-17T11:01:36', eventType: 'DELIVERY', transactionStatus: 'ADVISED', orderId: '123-SAMPLE-456', itscopeOrderId: 'SAMPLE-123456-789', documentId: '123456789', documentUrl: 'https://api.itscope.com/2.1/business/documents/123456789/DISPATCHNOTIFICATION.xml', transactionId: '123456789-1234-5678-9123-12SAMPLE4567' } },
};

const priceFlow: FlowInput = {
  formatVersion: 1,
  id: 'price-query',
  name: 'Item price query',
  description: 'A query endpoint: GET /prices?item=..&currency=.. answers with the partner price API\'s current price.',
  nodes: [
    {
      id: 'query',
      type: 'webhook',
      name: 'Price query',
      position: { x: 0, y: 100 },
      settings: {
        methods: ['GET'],
        path: '/prices',
        queryParams: [
          { name: 'item', required: true, description: 'Item number' },
          { name: 'currency', required: false, default: 'EUR' },
        ],
        auth: { type: 'apiKey', header: 'X-API-Key', keys: [{ id: 'consumer', label: 'Price consumer', secret: 'PRICE_API_KEY' }] },
        responseMode: 'requestResponse',
        timeoutMs: 5000,
        timeoutStatus: 504,
        timeoutMessage: 'The price service did not answer within 5 seconds.',
      },
    },
    {
      id: 'price-api',
      type: 'http-request',
      name: 'Partner price API',
      position: { x: 320, y: 100 },
      settings: {
        method: 'GET',
        url: '{{ $env.PRICE_API_URL }}/items/{{ $encodeUrlComponent(trigger.query.item) }}/price',
        query: [{ name: 'currency', value: '{{ trigger.query.currency }}' }],
        connectionId: 'price-partner',
        output: 'body',
        timeoutMs: 4000,
        retry: { retryCount: 1, retryIntervalMs: 200 },
      },
    },
    {
      id: 'answer',
      type: 'respond',
      name: 'Answer',
      position: { x: 640, y: 100 },
      settings: {
        status: 200,
        bodyMode: 'template',
        templateKind: 'json',
        template: '{\n  "item": {{ trigger.query.item }},\n  "currency": {{ trigger.query.currency }},\n  "price": {{ data.price }},\n  "fetchedAt": {{ $now() }}\n}',
      },
    },
  ],
  edges: [
    { id: 'e1', source: 'query', target: 'price-api' },
    { id: 'e2', source: 'price-api', target: 'answer' },
  ],
  sample: { trigger: { query: { item: 'A-100', currency: 'EUR' } }, data: { price: 12.5 } },
};

export const EXAMPLES = [
  {
    file: 'itscope-to-erp.bundle.json',
    bundle: () =>
      buildBundle({
        name: 'itscope-to-erp',
        version: '1.0.0',
        createdAt: CREATED,
        flows: [flowSchema.parse(itscopeFlow)],
        connections: [{ id: 'erp', name: 'ERP (basic auth)', auth: { type: 'basic', username: '{{ $env.ERP_USER }}', passwordSecret: 'ERP_PASSWORD' } }],
        environments: [{ name: 'default', variables: [{ name: 'ERP_URL', secret: false, description: 'ERP endpoint that receives the XML documents' }, { name: 'ERP_USER', secret: false }] }],
      }),
  },
  {
    file: 'price-query.bundle.json',
    bundle: () =>
      buildBundle({
        name: 'price-query',
        version: '1.0.0',
        createdAt: CREATED,
        flows: [flowSchema.parse(priceFlow)],
        connections: [{ id: 'price-partner', name: 'Price partner (OAuth2)', auth: { type: 'oauth2ClientCredentials', tokenUrl: '{{ $env.TOKEN_URL }}', clientId: '{{ $env.CLIENT_ID }}', clientSecretSecret: 'CLIENT_SECRET' } }],
        environments: [{ name: 'default', variables: [{ name: 'PRICE_API_URL', secret: false }, { name: 'TOKEN_URL', secret: false }, { name: 'CLIENT_ID', secret: false }] }],
      }),
  },
];

export const EXAMPLES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../examples');

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const e of EXAMPLES) {
    fs.writeFileSync(path.join(EXAMPLES_DIR, e.file), serializeBundle(e.bundle()));
    console.log(`wrote examples/${e.file}`);
  }
}
