/**
 * rest-baseline: the FHIR R4 REST checks every target gets first (R1..R22), one file per area. One step
 * per check, at the level the table gives it: MUST fails, SHOULD (and every "recall" item) only warns.
 * Steps pass ids and versions along through typed keys (keys.ts); a step whose input an earlier step
 * did not provide skips and says so.
 */
import type { ScenarioDefinition } from '../../runner/types.js';
import { HTTP, MCSD_ITI_90, PDQM_ITI_78, R4 } from '../support/standards.js';
import { capabilities, readPatient, vreadPatient } from './read.js';
import {
  createPatient,
  updatePatient,
  staleUpdate,
  updateIdMismatch,
  deletePatient,
  conditionalCreate,
  conditionalUpdate,
  conditionalDelete,
} from './write.js';
import { readMissing, unknownType, invalidCreate, formats } from './errors.js';
import { searchPaging, searchByPost, searchLastUpdated, unknownParameter } from './search.js';
import { transaction, batch } from './transaction.js';
import { instanceHistory } from './history.js';

export const restBaseline: ScenarioDefinition = {
  id: 'rest-baseline',
  title: 'Server follows the FHIR R4 REST baseline',
  description:
    'The REST checks every target gets first (R1..R22): capabilities, create, read, ' +
    'version-aware update, vread, delete, errors, search and paging, content negotiation, conditional ' +
    'create/update/delete, transaction, batch and history. Each step is skipped when the target does not ' +
    'declare the interactions it needs. The Patients and Coverages it writes come from the IG examples with ' +
    'values unique to the run, so a server validating against the openIMIS profiles accepts them.',
  tags: ['rest', 'baseline'],
  requirements: [
    `${HTTP}#capabilities`,
    `${HTTP}#create`,
    `${HTTP}#read`,
    `${HTTP}#update`,
    `${HTTP}#concurrency`,
    `${HTTP}#vread`,
    `${HTTP}#delete`,
    `${HTTP}#search`,
    `${HTTP}#mime-type`,
    `${HTTP}#parameters`,
    `${HTTP}#ccreate`,
    `${HTTP}#cond-update`,
    `${HTTP}#cond-delete`,
    `${HTTP}#transaction`,
    `${HTTP}#history`,
    `${R4}/search.html`,
    `${R4}/bundle.html`,
    PDQM_ITI_78,
    MCSD_ITI_90,
  ],
  steps: [
    capabilities,
    createPatient,
    readPatient,
    updatePatient,
    staleUpdate,
    updateIdMismatch,
    vreadPatient,
    deletePatient,
    readMissing,
    unknownType,
    invalidCreate,
    searchPaging,
    searchByPost,
    searchLastUpdated,
    unknownParameter,
    formats,
    conditionalCreate,
    conditionalUpdate,
    conditionalDelete,
    transaction,
    batch,
    instanceHistory,
  ],
};
