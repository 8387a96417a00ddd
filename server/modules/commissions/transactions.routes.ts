import type { Readable } from 'node:stream';
import { z } from 'zod';
import {
  commitImportRequest,
  createTransactionsRequest,
  salesTransactionListQuery,
  salesTransactionPage,
  transactionImportListQuery,
  transactionImportUploadQuery,
  transactionImportView,
  validateImportRequest,
} from '../../../common/api/commissions-transactions.ts';
import { transactionColumnHelp, transactionColumns } from '../../../common/comp/transaction-row.ts';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth.ts';
import type { ZodApp } from '../../http/zod-app.ts';
import { AppError } from '../../lib/errors.ts';
import * as transactions from './transactions.service.ts';

const idParams = z.strictObject({ id: z.uuid() });
const tags = ['commissions'];

/** The content types a file upload arrives as; each is handed to the route as the raw stream. */
const fileTypes = ['text/csv', 'application/octet-stream', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'];

const columnsHelp = transactionColumns.map((c) => `${c}: ${transactionColumnHelp[c]}`).join('; ');

function isStream(body: unknown): body is Readable {
  return typeof body === 'object' && body !== null && typeof (body as Readable).pipe === 'function' && Symbol.asyncIterator in body;
}

export async function transactionsRoutes(app: ZodApp, deps: Deps): Promise<void> {
  // Uploads stream into the store instead of being buffered: this encapsulated context parses the
  // file types as the raw request stream (the rest of the app keeps its own text/csv parser).
  await app.register(async (scoped: ZodApp) => {
    for (const type of fileTypes) {
      if (scoped.hasContentTypeParser(type)) scoped.removeContentTypeParser(type);
      scoped.addContentTypeParser(type, (_request, payload, done) => done(null, payload));
    }

    scoped.post(
      '/api/comp/transaction-imports',
      {
        bodyLimit: transactions.maxUploadBytes,
        schema: {
          tags,
          summary: 'Upload a transactions file (CSV or XLSX): stores it, reads its columns and proposes a mapping',
          description: [
            `Send the file itself as the request body (Content-Type ${fileTypes.join(', ')}), at most ${transactions.maxUploadBytes / 1024 / 1024} MB.`,
            'CSV: UTF-8, comma, semicolon or tab separated, the first line names the columns. XLSX: the first worksheet, the first row names the columns.',
            'The answer proposes a mapping from the file’s columns to the canonical ones; validate with POST .../:id/validate, then commit with POST .../:id/commit.',
            'The same file again answers 200 with the first batch (replayed: true) and writes nothing.',
            `Canonical columns: ${columnsHelp}.`,
          ].join(' '),
          querystring: transactionImportUploadQuery,
          response: { 200: transactionImportView, 201: transactionImportView },
        },
      },
      async (request, reply) => {
        const body: unknown = request.body;
        if (!isStream(body)) throw new AppError('bad_request', `Send the file as the request body with Content-Type ${fileTypes.join(' or ')}`);
        const view = await transactions.uploadTransactionFile(deps, actorOf(request), request.query, body);
        return reply.status(view.replayed ? 200 : 201).send(view);
      },
    );
  });

  app.get(
    '/api/comp/transaction-imports',
    {
      schema: {
        tags,
        summary: 'Import batches, newest first',
        querystring: transactionImportListQuery,
        response: { 200: z.object({ items: z.array(transactionImportView), total: z.number().int() }) },
      },
    },
    async (request) => transactions.listTransactionImports(deps, actorOf(request), request.query),
  );

  app.get(
    '/api/comp/transaction-imports/:id',
    {
      schema: {
        tags,
        summary: 'One import batch: status, mapping, the per-row problems and the commit’s progress',
        params: idParams,
        response: { 200: transactionImportView },
      },
    },
    async (request) => transactions.getTransactionImport(deps, actorOf(request), request.params.id),
  );

  app.post(
    '/api/comp/transaction-imports/:id/validate',
    {
      schema: {
        tags,
        summary: 'Check every row with a column mapping: each bad row is reported with its line, column and reason',
        description: 'Writes nothing but the report; may be repeated with another mapping until the batch is committed.',
        params: idParams,
        body: validateImportRequest,
        response: { 200: transactionImportView },
      },
    },
    async (request) => transactions.validateTransactionImport(deps, actorOf(request), request.params.id, request.body.mapping),
  );

  app.post(
    '/api/comp/transaction-imports/:id/commit',
    {
      schema: {
        tags,
        summary: 'Commit a validated batch: the good rows (bad ones skipped), or all or nothing',
        description: [
          'good_rows stores every good row and skips the bad ones; all_or_nothing stores nothing (the batch is rejected) when any row is bad.',
          `Batches of up to ${transactions.inlineCommitMaxRows} rows are committed before the answer; larger ones by a background job:`,
          'the answer says committing, and GET .../:id shows the progress until committed or rejected. A batch is stored whole or not at all.',
          'Committing again with the same mode answers the batch as it is (replayed: true).',
        ].join(' '),
        params: idParams,
        body: commitImportRequest,
        response: { 200: transactionImportView },
      },
    },
    async (request) => transactions.commitTransactionImport(deps, actorOf(request), request.params.id, request.body.mode),
  );

  app.get(
    '/api/comp/transactions',
    {
      schema: {
        tags,
        summary: 'Stored sales transaction lines (one per credited participant), filtered by participant, period, partner or batch',
        querystring: salesTransactionListQuery,
        response: { 200: salesTransactionPage },
      },
    },
    async (request) => transactions.listSalesTransactions(deps, actorOf(request), request.query),
  );

  app.post(
    '/api/comp/transactions',
    {
      schema: {
        tags,
        summary: 'Send transactions as JSON rows: checked like a file’s rows and committed at once',
        description: [
          'rows use the canonical columns as text (amount may be a number).',
          'Idempotent: send batchId or an Idempotency-Key header; the same key with the same rows answers 200 with the first batch, with other rows 409.',
          'mode as for a file import. The answer is the batch with its per-row problems.',
          `Columns: ${columnsHelp}.`,
        ].join(' '),
        headers: z.object({ 'idempotency-key': z.string().max(200).optional() }),
        body: createTransactionsRequest,
        response: { 200: transactionImportView, 201: transactionImportView },
      },
    },
    async (request, reply) => {
      const view = await transactions.createTransactions(deps, actorOf(request), request.body, { idempotencyKey: request.headers['idempotency-key'] });
      return reply.status(view.replayed ? 200 : 201).send(view);
    },
  );
}
