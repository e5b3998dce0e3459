// The openIMIS FHIR R4 server (backend module api_fhir_r4): what it offers, resource by resource.

Alias: $cs-expectation = http://hl7.org/fhir/StructureDefinition/capabilitystatement-expectation
Alias: $sp = http://hl7.org/fhir/SearchParameter
Alias: $oi-sp = https://openimis.github.io/openimis_fhir_r4_ig/SearchParameter
Alias: $oi-sd = https://openimis.github.io/openimis_fhir_r4_ig/StructureDefinition

// A resource row. In R4 the conformance expectation extension is allowed on interactions and search
// parameters, not on the resource row itself, so each interaction carries the row's expectation.
RuleSet: CapResource(type)
* rest[0].resource[+].type = #{type}

RuleSet: CapProfile(id)
* rest[0].resource[=].supportedProfile[+] = "https://openimis.github.io/openimis_fhir_r4_ig/StructureDefinition/{id}"

RuleSet: CapInteraction(code, expectation)
* rest[0].resource[=].interaction[+].code = #{code}
* rest[0].resource[=].interaction[=].extension[0].url = $cs-expectation
* rest[0].resource[=].interaction[=].extension[0].valueCode = #{expectation}

RuleSet: CapSearch(name, definition, type)
* rest[0].resource[=].searchParam[+].name = "{name}"
* rest[0].resource[=].searchParam[=].definition = "{definition}"
* rest[0].resource[=].searchParam[=].type = #{type}

// _lastUpdated: the server compares it with the start of validity (or the update date) of the record.
RuleSet: CapLastUpdated
* insert CapSearch(_lastUpdated, http://hl7.org/fhir/SearchParameter/Resource-lastUpdated, date)
* rest[0].resource[=].searchParam[=].documentation = "Prefixes eq, ne, gt, lt, ge, le, sa, eb and ap; value as `YYYY-MM-DDTHH:MM:SS` (no time zone)."

Instance: openIMISCapabilityStatement
InstanceOf: CapabilityStatement
Usage: #definition
Title: "openIMIS FHIR R4 Server"
Description: """
What the openIMIS FHIR R4 API (backend module `api_fhir_r4`) offers: the resources it serves, the
interactions and search parameters each one accepts, and how a client authenticates. A resource is only
available when the openIMIS module behind it is installed.
"""
* url = "https://openimis.github.io/openimis_fhir_r4_ig/CapabilityStatement/openIMISCapabilityStatement"
* name = "OpenIMISCapabilityStatement"
* status = #draft
* experimental = false
* date = "2026-11-22"
* publisher = "openIMIS Initiative"
* contact[0].name = "openIMIS Initiative"
* contact[0].telecom[0].system = #url
* contact[0].telecom[0].value = "https://openimis.org"
* kind = #requirements
* fhirVersion = #4.0.1
* format[0] = #json
* implementationGuide = "https://openimis.github.io/openimis_fhir_r4_ig/ImplementationGuide/openimis.fhir.r4"
* rest[0].mode = #server
* rest[0].documentation = """
**Base URL.** `https://<host>/{SITE_ROOT}api_fhir_r4/`, usually `https://<host>/api/api_fhir_r4/`. Every path
ends with a slash: `Patient/`, `Patient/<id>/`. Requests and responses are JSON only.

**Ids.** A resource's `id` is its openIMIS UUID, or its code when it was looked up by code. References take
the form `Type/<uuid>` and also carry `type` and `identifier`.

**Search.** A search answers with a `searchset` Bundle holding `total`. `_count` sets the page size
(default 10) and `page-offset` the page number; follow the `next` link, whose query part is URL-encoded.
`identifier=` (and `code=` where listed) is a lookup, not a search: it answers with the **bare resource**,
or 404.

**Errors** are OperationOutcomes; `issue.code` is `exception`, `not-found` (404) or `informational`.
"""
* rest[0].security.service[0].text = "openIMIS token login (JWT sent as a Bearer token)"
* rest[0].security.description = """
Every request needs an authenticated openIMIS user. Obtain a token with
`POST [base]login/` and the body `{"username": "...", "password": "..."}`: the answer is
`{"token": "<JWT>", "exp": <expiry>}` (401 for wrong credentials, 400 for a malformed body). Send the token
on each request as `Authorization: Bearer <JWT>` and log in again when it expires. What a user may read or
change follows their openIMIS rights and the locations they are attached to. See the Security page.
"""

// ---- Registry: people, families, places, organisations ----

* insert CapResource(Patient)
* rest[0].resource[=].documentation = "Insurees. Read by UUID or by insurance number (CHFID)."
* insert CapProfile(openimis-patient)
* insert CapInteraction(read, SHALL)
* insert CapInteraction(search-type, SHALL)
* insert CapInteraction(create, SHALL)
* insert CapInteraction(update, SHALL)
* insert CapInteraction(delete, SHALL)
* insert CapSearch(identifier, http://hl7.org/fhir/SearchParameter/Patient-identifier, token)
* rest[0].resource[=].searchParam[=].documentation = "The insurance number (CHFID) or UUID, bare value; answers with the Patient itself."
* insert CapLastUpdated
* insert CapSearch(refDate, https://openimis.github.io/openimis_fhir_r4_ig/SearchParameter/ref-date, date)
* insert CapSearch(claimDateFrom, https://openimis.github.io/openimis_fhir_r4_ig/SearchParameter/claim-date-from, special)

* insert CapResource(Group)
* rest[0].resource[=].documentation = "Families and other groups of insurees."
* insert CapProfile(openimis-group)
* insert CapInteraction(read, SHALL)
* insert CapInteraction(search-type, SHALL)
* insert CapInteraction(create, SHALL)
* insert CapInteraction(update, SHALL)
* insert CapInteraction(delete, SHALL)
* insert CapSearch(identifier, http://hl7.org/fhir/SearchParameter/Group-identifier, token)
* rest[0].resource[=].searchParam[=].documentation = "Answers with the Group itself."
* insert CapLastUpdated

* insert CapResource(Location)
* rest[0].resource[=].documentation = "Administrative areas (region, district, municipality/ward, village); with `physicalType=si`, health-facility sites."
* insert CapProfile(openimis-location)
* insert CapInteraction(read, SHALL)
* insert CapInteraction(search-type, SHALL)
* insert CapInteraction(create, SHALL)
* insert CapInteraction(update, SHALL)
* insert CapInteraction(delete, SHALL)
* insert CapSearch(identifier, http://hl7.org/fhir/SearchParameter/Location-identifier, token)
* rest[0].resource[=].searchParam[=].documentation = "The location code or UUID; answers with the Location itself."
* insert CapLastUpdated
* insert CapSearch(physicalType, https://openimis.github.io/openimis_fhir_r4_ig/SearchParameter/location-physical-type, token)

* insert CapResource(Organization)
* rest[0].resource[=].documentation = "Health facilities, policy holders and the insurer. When no insurer is configured the server answers with a default one, `Organization/openIMIS-Implementation`."
* insert CapProfile(openimis-health-facility-organization)
* insert CapProfile(openimis-policy-holder-organization)
* insert CapProfile(openimis-insurance-organization)
* insert CapInteraction(read, SHALL)
* insert CapInteraction(search-type, SHALL)
* insert CapInteraction(create, SHALL)
* insert CapInteraction(update, SHALL)
* insert CapSearch(type, http://hl7.org/fhir/SearchParameter/Organization-type, token)
* rest[0].resource[=].searchParam[=].documentation = "`prov`, `bus` or `ins`, case-insensitive."
* insert CapSearch(resourceType, https://openimis.github.io/openimis_fhir_r4_ig/SearchParameter/organization-resource-type, token)
* insert CapSearch(code, https://openimis.github.io/openimis_fhir_r4_ig/SearchParameter/resource-code, token)
* insert CapLastUpdated

* insert CapResource(Practitioner)
* rest[0].resource[=].documentation = "Claim administrators and enrolment officers."
* insert CapProfile(openimis-claim-administrator-practitioner)
* insert CapProfile(openimis-enrolment-officer-practitioner)
* insert CapInteraction(read, SHALL)
* insert CapInteraction(search-type, SHALL)
* insert CapInteraction(create, SHALL)
* insert CapInteraction(update, SHALL)
* insert CapSearch(resourceType, https://openimis.github.io/openimis_fhir_r4_ig/SearchParameter/practitioner-resource-type, token)
* insert CapSearch(code, https://openimis.github.io/openimis_fhir_r4_ig/SearchParameter/resource-code, token)
* insert CapLastUpdated

* insert CapResource(PractitionerRole)
* rest[0].resource[=].documentation = "The role of a claim administrator (at a health facility) or an enrolment officer (in an area)."
* insert CapProfile(openimis-claim-administrator-practitioner-role)
* insert CapProfile(openimis-enrolment-officer-practitioner-role)
* insert CapInteraction(read, SHALL)
* insert CapInteraction(search-type, SHALL)
* insert CapInteraction(create, SHALL)
* insert CapInteraction(update, SHALL)
* insert CapSearch(resourceType, https://openimis.github.io/openimis_fhir_r4_ig/SearchParameter/practitioner-resource-type, token)
* insert CapSearch(code, https://openimis.github.io/openimis_fhir_r4_ig/SearchParameter/resource-code, token)
* insert CapLastUpdated

// ---- Products, medical services and items ----

* insert CapResource(InsurancePlan)
* rest[0].resource[=].documentation = "Insurance products."
* insert CapProfile(openimis-insurance-plan)
* insert CapInteraction(read, SHALL)
* insert CapInteraction(search-type, SHALL)
* insert CapSearch(identifier, http://hl7.org/fhir/SearchParameter/InsurancePlan-identifier, token)
* rest[0].resource[=].searchParam[=].documentation = "The product code or UUID; answers with the InsurancePlan itself."
* insert CapLastUpdated

* insert CapResource(ActivityDefinition)
* rest[0].resource[=].documentation = "Medical services of the price lists."
* insert CapProfile(openimis-activitiy-definition)
* insert CapInteraction(read, SHALL)
* insert CapInteraction(search-type, SHALL)
* insert CapInteraction(create, SHALL)
* insert CapInteraction(update, SHALL)
* insert CapSearch(identifier, http://hl7.org/fhir/SearchParameter/ActivityDefinition-identifier, token)
* rest[0].resource[=].searchParam[=].documentation = "The service code or UUID; answers with the ActivityDefinition itself."
* insert CapLastUpdated

* insert CapResource(Medication)
* rest[0].resource[=].documentation = "Medical items (drugs and consumables) of the price lists."
* insert CapProfile(openimis-medication)
* insert CapInteraction(read, SHALL)
* insert CapInteraction(search-type, SHALL)
* insert CapInteraction(create, SHALL)
* insert CapInteraction(update, SHALL)
* insert CapInteraction(delete, SHALL)
* insert CapSearch(identifier, http://hl7.org/fhir/SearchParameter/Medication-identifier, token)
* rest[0].resource[=].searchParam[=].documentation = "The item code or UUID; answers with the Medication itself."
* insert CapLastUpdated

// ---- Policies and eligibility ----

* insert CapResource(Contract)
* rest[0].resource[=].documentation = "Policy enrolments: a family (or a policy holder) enrolled in a product, with its contributions. Read by UUID."
* insert CapProfile(openimis-contract)
* insert CapInteraction(read, SHALL)
* insert CapInteraction(search-type, SHALL)
* insert CapInteraction(create, SHALL)
* insert CapLastUpdated
* insert CapSearch(refDate, https://openimis.github.io/openimis_fhir_r4_ig/SearchParameter/ref-date, date)
* insert CapSearch(refEndDate, https://openimis.github.io/openimis_fhir_r4_ig/SearchParameter/ref-end-date, date)

* insert CapResource(Coverage)
* rest[0].resource[=].documentation = "Policies as seen by claiming and eligibility. Read by UUID."
* insert CapProfile(openimis-coverage)
* insert CapInteraction(read, SHALL)
* insert CapInteraction(search-type, SHALL)
* insert CapSearch(identifier, http://hl7.org/fhir/SearchParameter/Coverage-identifier, token)
* rest[0].resource[=].searchParam[=].documentation = "An insurance number (CHFID)."
* insert CapLastUpdated
* insert CapSearch(refDate, https://openimis.github.io/openimis_fhir_r4_ig/SearchParameter/ref-date, date)
* insert CapSearch(refEndDate, https://openimis.github.io/openimis_fhir_r4_ig/SearchParameter/ref-end-date, date)

* insert CapResource(CoverageEligibilityRequest)
* rest[0].resource[=].documentation = """
POST only. `patient.reference` is `Patient/<CHFID>`; each item names a medical item or service code in
`productOrService.text`. The server answers with a **CoverageEligibilityResponse** (profile
openimis-coverage-eligibility-response) holding one insurance entry per active policy; neither the request
nor the response is stored, so there is nothing to read back.
"""
* insert CapProfile(openimis-coverage-eligibility-request)
* insert CapInteraction(create, SHALL)

// ---- Claims and feedback ----

* insert CapResource(Claim)
* rest[0].resource[=].documentation = """
Read by UUID or claim code. **create** submits the claim (resources sent as contained resources are saved
first, then the claim is entered and submitted, checked by the rule engine unless the deployment turns it
off) and answers **201 with a ClaimResponse**, not the Claim; see the Claim page for the outcome mapping.
The user needs the rights to create and to submit claims.

Add `contained=true` to a read or search to receive the referenced patient, facility, practitioner, items
and services as contained resources. It shapes the answer and filters nothing, so it is not declared as a
search parameter; note that the server switches it on for any non-empty value.
"""
* insert CapProfile(openimis-claim)
* insert CapInteraction(read, SHALL)
* insert CapInteraction(search-type, SHALL)
* insert CapInteraction(create, SHALL)
* insert CapSearch(identifier, http://hl7.org/fhir/SearchParameter/Claim-identifier, token)
* rest[0].resource[=].searchParam[=].documentation = "The claim code or UUID; answers with the Claim itself."
* insert CapSearch(patient, http://hl7.org/fhir/SearchParameter/Claim-patient, reference)
* rest[0].resource[=].searchParam[=].documentation = "The insuree's UUID as a bare id (`patient=<uuid>`), not `Patient/<uuid>`."
* insert CapSearch(refDate, https://openimis.github.io/openimis_fhir_r4_ig/SearchParameter/ref-date, date)

* insert CapResource(ClaimResponse)
* rest[0].resource[=].documentation = "The adjudication state of a claim, rebuilt from the claim on every read: `ClaimResponse/<claim uuid>` is the way to follow a claim after submission."
* insert CapProfile(openimis-claim-response)
* insert CapInteraction(read, SHALL)
* insert CapInteraction(search-type, SHALL)
* insert CapSearch(identifier, http://hl7.org/fhir/SearchParameter/ClaimResponse-identifier, token)
* rest[0].resource[=].searchParam[=].documentation = "The claim code or UUID; answers with the ClaimResponse itself."
* insert CapLastUpdated

* insert CapResource(CommunicationRequest)
* rest[0].resource[=].documentation = "Requests for feedback on a claim, addressed to an enrolment officer."
* insert CapProfile(openimis-communication-request)
* insert CapInteraction(read, SHALL)
* insert CapInteraction(search-type, SHALL)
* insert CapSearch(identifier, http://hl7.org/fhir/SearchParameter/CommunicationRequest-identifier, token)
* rest[0].resource[=].searchParam[=].documentation = "Answers with the CommunicationRequest itself."
* insert CapLastUpdated

* insert CapResource(Communication)
* rest[0].resource[=].documentation = "The insuree's feedback on a claim, answering a CommunicationRequest."
* insert CapProfile(openimis-communication)
* insert CapInteraction(create, SHALL)
* insert CapInteraction(read, SHALL)
* insert CapInteraction(search-type, SHALL)

// ---- Invoices and payments ----

* insert CapResource(Invoice)
* rest[0].resource[=].documentation = "Contribution invoices (money owed to the scheme) and bills (money the scheme owes, e.g. for a batch of claims). The server accepts create and update requests but ignores them, so they are not declared."
* insert CapProfile(openimis-invoice-invoice)
* insert CapProfile(openimis-invoice-bill)
* insert CapInteraction(read, SHALL)
* insert CapInteraction(search-type, SHALL)
* insert CapSearch(resourceType, https://openimis.github.io/openimis_fhir_r4_ig/SearchParameter/invoice-resource-type, special)
* insert CapSearch(code, https://openimis.github.io/openimis_fhir_r4_ig/SearchParameter/resource-code, token)
* insert CapLastUpdated

* insert CapResource(PaymentNotice)
* rest[0].resource[=].documentation = "A payment made against an invoice or bill; creating one records the payment in openIMIS."
* insert CapProfile(openimis-payment-notice)
* insert CapInteraction(create, SHALL)
* insert CapInteraction(read, SHALL)
* insert CapInteraction(search-type, SHALL)
* insert CapInteraction(update, SHALL)
* insert CapSearch(identifier, http://hl7.org/fhir/SearchParameter/PaymentNotice-identifier, token)
* rest[0].resource[=].searchParam[=].documentation = "Answers with the PaymentNotice itself."
* insert CapLastUpdated

* insert CapResource(PaymentReconciliation)
* rest[0].resource[=].documentation = "The settlement a payment system (the GovStack payments building block) reports for one or more payment notices. Defined by this IG for the GovStack payment step; api_fhir_r4 1.4.0 has no PaymentReconciliation endpoint yet."
* insert CapProfile(openimis-payment-reconciliation)
* insert CapInteraction(create, MAY)
* insert CapInteraction(read, MAY)

// ---- Notifications and terminology ----

* insert CapResource(Subscription)
* rest[0].resource[=].documentation = """
rest-hook subscriptions to insurees (Patient), health facilities (Organization) and invoices. `end` is
required, `status` is `active` or `off`, `reason` names the resource, and `criteria` query parameters are
openIMIS (Django) field lookups, e.g. `Patient?chfid__startswith=0`. Only the first `channel.header` is
kept and it must be a JSON object written as a string. A notification is a POST of the bare resource
(not a Bundle). Users can only see and change their own subscriptions. See the Subscription page.
"""
* insert CapProfile(openimis-subscription)
* insert CapInteraction(create, SHALL)
* insert CapInteraction(read, SHALL)
* insert CapInteraction(search-type, SHALL)
* insert CapInteraction(update, SHALL)
* insert CapInteraction(delete, SHALL)

* insert CapResource(CodeSystem)
* rest[0].resource[=].documentation = """
Read-only code lists built from the openIMIS database, at `CodeSystem/<id>/` for: patient-education-level,
patient-profession, patient-identification-type, patient-contact-relationship, group-type,
group-confirmation-type, organization-hf-legal-form, organization-hf-level, organization-ph-legal-form,
organization-ph-activity and diagnosis (the deployment's diagnosis list). The `url` of the returned
CodeSystem is the request URL.
"""
* insert CapInteraction(read, SHALL)
