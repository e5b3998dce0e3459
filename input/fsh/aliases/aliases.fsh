// Aliases for external code systems and definitions. Every alias starts with `$`, so none can shadow the
// name of an artifact of this IG.

// HL7 FHIR and terminology code systems
Alias: $v2-0203 = http://terminology.hl7.org/CodeSystem/v2-0203
Alias: $v3-MaritalStatus = http://terminology.hl7.org/CodeSystem/v3-MaritalStatus
Alias: $v3-NullFlavor = http://terminology.hl7.org/CodeSystem/v3-NullFlavor
Alias: $v3-ActCode = http://terminology.hl7.org/CodeSystem/v3-ActCode
Alias: $v3-RoleCode = http://terminology.hl7.org/CodeSystem/v3-RoleCode
Alias: $organization-type = http://terminology.hl7.org/CodeSystem/organization-type
Alias: $contactentity-type = http://terminology.hl7.org/CodeSystem/contactentity-type
Alias: $usage-context-type = http://terminology.hl7.org/CodeSystem/usage-context-type
Alias: $location-physical-type = http://terminology.hl7.org/CodeSystem/location-physical-type
Alias: $processpriority = http://terminology.hl7.org/CodeSystem/processpriority
Alias: $claim-type = http://terminology.hl7.org/CodeSystem/claim-type
Alias: $coverage-class = http://terminology.hl7.org/CodeSystem/coverage-class
Alias: $contract-scope = http://terminology.hl7.org/CodeSystem/contract-scope
Alias: $payment-status = http://terminology.hl7.org/CodeSystem/paymentstatus
Alias: $payment-type = http://terminology.hl7.org/CodeSystem/payment-type
Alias: $ucum = http://unitsofmeasure.org
Alias: $iso4217 = urn:iso:std:iso:4217

// FHIR core code systems (http://hl7.org/fhir/...)
Alias: $administrative-gender = http://hl7.org/fhir/administrative-gender
Alias: $address-use = http://hl7.org/fhir/address-use
Alias: $contract-status = http://hl7.org/fhir/contract-status
Alias: $fm-status = http://hl7.org/fhir/fm-status
Alias: $invoice-status = http://hl7.org/fhir/invoice-status
Alias: $invoice-priceComponentType = http://hl7.org/fhir/invoice-priceComponentType
Alias: $publication-status = http://hl7.org/fhir/publication-status
Alias: $request-status = http://hl7.org/fhir/request-status
Alias: $insurance-plan-type = http://terminology.hl7.org/CodeSystem/insurance-plan-type
Alias: $subscription-channel-type = http://hl7.org/fhir/subscription-channel-type
