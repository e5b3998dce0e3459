// Search parameters that the openIMIS FHIR R4 module (api_fhir_r4) understands beyond the FHIR core ones.
// Core parameters (identifier, patient, type, _lastUpdated ...) are cited in the CapabilityStatement by their
// core canonical and are not redefined here.
//
// Not a search parameter: `contained=true` on Claim only changes how a Claim is rendered (the referenced
// resources are returned as contained resources), like _summary or _elements; it is documented on the Claim
// row of the CapabilityStatement instead.

Instance: ref-date
InstanceOf: SearchParameter
Usage: #definition
Title: "openIMIS refDate"
Description: "Returns the records whose current version became valid on or after the given day."
* url = "https://openimis.github.io/openimis_fhir_r4_ig/SearchParameter/ref-date"
* name = "RefDate"
* status = #draft
* experimental = false
* publisher = "openIMIS Initiative"
* description = """
Returns the records whose current version became valid on or after the given day, i.e. the records created
or changed since then. openIMIS keeps every change of a record as a new row and compares the value with the
start of validity of the current row, the same date the server uses for `_lastUpdated`; the expression
therefore points at `meta.lastUpdated`.

The value is a plain date `YYYY-MM-DD` **without a prefix**: "on or after" is implied. Example:
`GET [base]/Patient/?refDate=2025-01-01`. Send a well-formed date: the server does not handle a malformed
one the same way on every endpoint (Claim answers 400, Patient ignores it).
"""
* code = #refDate
* base[0] = #Patient
* base[+] = #Claim
* base[+] = #Coverage
* base[+] = #Contract
* type = #date
* expression = "Patient.meta.lastUpdated | Claim.meta.lastUpdated | Coverage.meta.lastUpdated | Contract.meta.lastUpdated"
* xpathUsage = #normal

Instance: ref-end-date
InstanceOf: SearchParameter
Usage: #definition
Title: "openIMIS refEndDate"
Description: "Returns the policies whose current version became valid before the given day."
* url = "https://openimis.github.io/openimis_fhir_r4_ig/SearchParameter/ref-end-date"
* name = "RefEndDate"
* status = #draft
* experimental = false
* publisher = "openIMIS Initiative"
* description = """
Upper bound to `refDate`: returns the policies whose current version became valid strictly before the given
day. Together the two select a window of changes, e.g.
`GET [base]/Coverage/?refDate=2025-01-01&refEndDate=2025-02-01` returns the policies created or changed in
January 2025.

The value is a plain date `YYYY-MM-DD` **without a prefix**: "before" is implied.
"""
* code = #refEndDate
* base[0] = #Coverage
* base[+] = #Contract
* type = #date
* expression = "Coverage.meta.lastUpdated | Contract.meta.lastUpdated"
* xpathUsage = #normal

Instance: claim-date-from
InstanceOf: SearchParameter
Usage: #definition
Title: "openIMIS claimDateFrom"
Description: "Returns the insurees who have at least one claim dated on or after the given day."
* url = "https://openimis.github.io/openimis_fhir_r4_ig/SearchParameter/claim-date-from"
* name = "ClaimDateFrom"
* status = #draft
* experimental = false
* publisher = "openIMIS Initiative"
* description = """
Returns the insurees (Patient) who have at least one claim whose claim date is on or after the given day.
A facility uses it to pull the insurees it has recently served.

The value is a plain date `YYYY-MM-DD` without a prefix; a malformed value is answered with 400 and an
OperationOutcome.

The parameter has **no FHIRPath expression**: the claim date lives on Claim (`Claim.created`), which
points at the Patient, and no path from Patient reaches it. It is therefore of type
`special`. In standard FHIR the same question is a reverse chain,
`Patient?_has:Claim:patient:created=ge2025-01-01`, which openIMIS does not support.
"""
* code = #claimDateFrom
* base[0] = #Patient
* type = #special

Instance: organization-resource-type
InstanceOf: SearchParameter
Usage: #definition
Title: "openIMIS Organization kind (resourceType)"
Description: "Selects which kind of openIMIS organisation to return: health facilities (prov), policy holders (bus) or insurers (ins)."
* url = "https://openimis.github.io/openimis_fhir_r4_ig/SearchParameter/organization-resource-type"
* name = "OrganizationResourceType"
* status = #draft
* experimental = false
* publisher = "openIMIS Initiative"
* description = """
openIMIS serves three kinds of organisation from one Organization endpoint. The kind is the code of
`Organization.type` (system `http://terminology.hl7.org/CodeSystem/organization-type`):

| value | kind | profile |
|---|---|---|
| `prov` | health facility | openimis-health-facility-organization |
| `bus` | policy holder | openimis-policy-holder-organization |
| `ins` | insurer | openimis-insurance-organization |

The values are compared without regard to case. Without the parameter all three kinds are returned.

The core `type` parameter expresses the same filter and is the one to prefer: in api_fhir_r4 1.4.0 the
server filters on `type`, and `resourceType` only decides whether the configured (or default
`openIMIS-Implementation`) insurer is added to the result.
"""
* code = #resourceType
* base[0] = #Organization
* type = #token
* expression = "Organization.type"
* xpathUsage = #normal

Instance: practitioner-resource-type
InstanceOf: SearchParameter
Usage: #definition
Title: "openIMIS Practitioner kind (resourceType)"
Description: "Selects claim administrators (ca) or enrolment officers (eo) on the Practitioner and PractitionerRole endpoints."
* url = "https://openimis.github.io/openimis_fhir_r4_ig/SearchParameter/practitioner-resource-type"
* name = "PractitionerResourceType"
* status = #draft
* experimental = false
* publisher = "openIMIS Initiative"
* description = """
openIMIS serves two kinds of practitioner from the Practitioner and PractitionerRole endpoints: claim
administrators (`ca`) and enrolment officers (`eo`). The kind is the code `CA` or `EO` of the
practitioner-qualification-type CodeSystem, carried in `Practitioner.qualification.code` and in
`PractitionerRole.code`. The value is compared without regard to case, so `ca` matches `CA`. Without the
parameter both kinds are returned.

Example: `GET [base]/PractitionerRole/?resourceType=eo`.
"""
* code = #resourceType
* base[0] = #Practitioner
* base[+] = #PractitionerRole
* type = #token
* expression = "Practitioner.qualification.code | PractitionerRole.code"
* xpathUsage = #normal

Instance: invoice-resource-type
InstanceOf: SearchParameter
Usage: #definition
Title: "openIMIS Invoice kind (resourceType)"
Description: "Selects contribution invoices (invoice) or bills to be paid by the insurer (bill) on the Invoice endpoint."
* url = "https://openimis.github.io/openimis_fhir_r4_ig/SearchParameter/invoice-resource-type"
* name = "InvoiceResourceType"
* status = #draft
* experimental = false
* publisher = "openIMIS Initiative"
* description = """
openIMIS serves two kinds of document from the Invoice endpoint:

| value | kind | profile | `Invoice.type` from |
|---|---|---|---|
| `invoice` | money owed to the scheme (contributions, contracts, funding) | openimis-invoice-invoice | invoice-type |
| `bill` | money the scheme owes (claim batches, commissions, fees) | openimis-invoice-bill | bill-type |

Without the parameter both kinds are returned.

The parameter is of type `special` and has **no FHIRPath expression**: the value names a kind of document,
which shows in a resource only as the code system of `Invoice.type` (or the claimed profile), not as a value
any path returns.
"""
* code = #resourceType
* base[0] = #Invoice
* type = #special

Instance: resource-code
InstanceOf: SearchParameter
Usage: #definition
Title: "openIMIS code"
Description: "Looks up one organisation, practitioner, practitioner role or invoice by its openIMIS code, UUID or internal id."
* url = "https://openimis.github.io/openimis_fhir_r4_ig/SearchParameter/resource-code"
* name = "ResourceCode"
* status = #draft
* experimental = false
* publisher = "openIMIS Initiative"
* description = """
Looks up a single resource by one of its identifiers: the openIMIS code (identifier type `Code`), the UUID
(identifier type `UUID`) or, for Organization and Invoice, the internal database id. Give the bare value,
without a system: `GET [base]/Organization/?code=RHOS0001`.

Like `identifier=` on the other endpoints, `code=` answers with **the resource itself, not a searchset
Bundle**, and with 404 when nothing matches.
"""
* code = #code
* base[0] = #Organization
* base[+] = #Practitioner
* base[+] = #PractitionerRole
* base[+] = #Invoice
* type = #token
* expression = "Organization.identifier | Practitioner.identifier | PractitionerRole.identifier | Invoice.identifier"
* xpathUsage = #normal

Instance: location-physical-type
InstanceOf: SearchParameter
Usage: #definition
Title: "openIMIS Location physicalType"
Description: "With the value si, the Location endpoint returns health-facility sites instead of administrative areas."
* url = "https://openimis.github.io/openimis_fhir_r4_ig/SearchParameter/location-physical-type"
* name = "LocationPhysicalType"
* status = #draft
* experimental = false
* publisher = "openIMIS Initiative"
* description = """
The Location endpoint holds two sets of places. By default it returns the administrative areas (regions,
districts, municipalities/wards and villages, whose `physicalType` comes from the location-type
CodeSystem). With `physicalType=si` it returns instead one site Location per health facility
(`physicalType` = `http://terminology.hl7.org/CodeSystem/location-physical-type#si`), the place where
the facility stands. It works on search and on read: `GET [base]/Location/<uuid>/?physicalType=si`.

Only the value `si` has an effect; any other value gives the administrative areas.
"""
* code = #physicalType
* base[0] = #Location
* type = #token
* expression = "Location.physicalType"
* xpathUsage = #normal
