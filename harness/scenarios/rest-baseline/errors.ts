/**
 * rest-baseline, refusals: an unknown Patient (r9), an unknown type (r10), broken or invalid content
 * (r11), and content negotiation (r16): _format honoured, a format the server cannot produce or read
 * refused.
 */
import type { StepDefinition } from '../../runner/types.js';
import { marksFor, ruleBreakingPatient } from '../support/patients.js';
import { fhirId } from '../support/replies.js';
import { FHIR_JSON, HTTP, PDQM_ITI_78 } from '../support/standards.js';
import { trackUnexpected } from '../support/writes.js';

export const readMissing: StepDefinition = {
  id: 'r9-read-missing',
  title: 'GET of an unknown Patient answers 404',
  says: `${HTTP}#read: an unknown resource answers 404 Not Found, with an OperationOutcome (SHOULD in core; PDQm (${PDQM_ITI_78}) wants issue.code not-found).`,
  level: 'MUST',
  needs: { interactions: ['Patient:read'] },
  async run(t) {
    const reply = await t.get(`Patient/${fhirId(t.unique('does-not-exist'))}`);
    t.expect(reply).status(404);
    t.should(reply).outcome().fhirpath("issue.where(code = 'not-found').exists()");
  },
};

export const unknownType: StepDefinition = {
  id: 'r10-unknown-type',
  title: 'GET of an unknown resource type answers 404',
  says: `${HTTP}#read: a request for a resource type the server does not support answers 404 Not Found (an OperationOutcome SHOULD say why).`,
  level: 'MUST',
  async run(t) {
    const reply = await t.get('NotAType');
    t.expect(reply).status(404);
    t.should(reply).outcome();
  },
};

export const invalidCreate: StepDefinition = {
  id: 'r11-invalid-create',
  title: 'POST of broken JSON or a rule-breaking Patient is refused',
  says: `${HTTP}#create: content that cannot be parsed or fails basic FHIR rules answers 400, content that breaks business rules 422; each SHOULD come with an OperationOutcome.`,
  level: 'MUST',
  needs: { interactions: ['Patient:create'] },
  async run(t) {
    const broken = await t.post('Patient', '{"resourceType": "Patient", ', {
      headers: { 'content-type': FHIR_JSON },
    });
    trackUnexpected(t, broken, 'Patient');
    t.expect(broken).status(400);
    t.should(broken).outcome();

    const invalid = await t.post('Patient', ruleBreakingPatient(marksFor(t, 'r11').family));
    trackUnexpected(t, invalid, 'Patient');
    t.expect(invalid).status([400, 422]);
    t.should(invalid).outcome();
  },
};

export const formats: StepDefinition = {
  id: 'r16-formats',
  title: 'Content negotiation: _format wins, unsupported formats are refused',
  says: `${HTTP}#mime-type and #parameters: _format overrides the Accept header (recall: warns only); a response format the server cannot produce answers 406 (PDQm (${PDQM_ITI_78}) wants an OperationOutcome not-supported); a request body of an unsupported type answers 415.`,
  level: 'MUST',
  async run(t) {
    const overridden = await t.get('metadata?_format=json', { headers: { accept: 'application/fhir+xml' } });
    t.should(overridden)
      .status(200)
      .header('content-type', /^application\/fhir\+json/);

    const unacceptable = await t.get('metadata', { headers: { accept: 'application/pdf' } });
    t.expect(unacceptable).status(406);
    t.should(unacceptable).outcome().fhirpath("issue.where(code = 'not-supported').exists()");

    if (!t.supports({ interactions: ['Patient:create'] })) return;
    const unsupported = await t.post('Patient', 'gender=male', { headers: { 'content-type': 'text/plain' } });
    trackUnexpected(t, unsupported, 'Patient');
    t.expect(unsupported).status(415);
    t.should(unsupported).outcome();
  },
};
