/** Where the clauses scenarios check are written, and the media types they send. */

export const R4 = 'https://hl7.org/fhir/R4';
/** The RESTful API page of R4: the clauses of create, read, update, search... by anchor. */
export const HTTP = `${R4}/http.html`;
/** IHE PDQm, Mobile Patient Demographics Query. */
export const PDQM_ITI_78 = 'https://profiles.ihe.net/ITI/PDQm/ITI-78.html';
/** IHE mCSD, Find Matching Care Services. */
export const MCSD_ITI_90 = 'https://profiles.ihe.net/ITI/mCSD/ITI-90.html';

export const FHIR_JSON = 'application/fhir+json';
export const FORM = 'application/x-www-form-urlencoded';
