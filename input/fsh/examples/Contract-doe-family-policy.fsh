Instance: doe-family-policy
InstanceOf: OpenimisContract
Usage: #example
Title: "Policy: Doe family in Basic Health Cover"
Description: "The Doe family's policy in product RX01 (Basic Health Cover), enrolled by the enrolment officer on 20 June 2025 and in force from 1 July 2025 to 30 June 2026. John Doe paid the whole contribution of 110 EUR (lump sum 100 plus a registration fee of 5 per member) in cash on 27 June 2025 (receipt RCP-2025-0142)."
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>The Doe family's policy in product RX01 (Basic Health Cover), enrolled by the enrolment officer on 20 June 2025 and in force from 1 July 2025 to 30 June 2026. John Doe paid the whole contribution of 110 EUR (lump sum 100 plus a registration fee of 5 per member) in cash on 27 June 2025 (receipt RCP-2025-0142).</p></div>"
* identifier[UUID].type = OpenimisIdentifiersCS#UUID "UUID unique identifier"
* identifier[UUID].value = "5d9c2e71-8a4b-4f36-b1e0-7c3a9f6d2b18"
* status = #executed
* issued = "2025-06-20"
* subject = Reference(Group/doe-family) "Doe family"
* authority = Reference(Organization/openIMIS-Implementation) "openIMIS Implementation"
* author = Reference(Practitioner/eo-joseph-rapta) "Joseph Kimaro"
* scope = ContractScopeCS#informal "Informal Sector"
* term.offer.party.reference = Reference(Patient/john-doe) "John Doe"
* term.offer.party.role = ContractResourcePartyRoleCS#beneficiary "Beneficiary"
* term.asset.extension[premium].extension[payer].valueCodeableConcept = ContractPremiumPayerCS#beneficiary "Beneficiary"
* term.asset.extension[premium].extension[category].valueCodeableConcept = ContractPremiumCategoryCS#C "Contribution and Others"
* term.asset.extension[premium].extension[amount].valueMoney.value = 110.00
* term.asset.extension[premium].extension[amount].valueMoney.currency = #EUR
* term.asset.extension[premium].extension[receipt].valueString = "RCP-2025-0142"
* term.asset.extension[premium].extension[date].valueDate = "2025-06-27"
* term.asset.extension[premium].extension[type].valueCodeableConcept = ContractPremiumTypeCS#C "Cash"
* term.asset.typeReference[+] = Reference(Patient/john-doe) "John Doe"
* term.asset.typeReference[+] = Reference(Patient/jane-doe) "Jane Doe"
* term.asset.period.start = "2025-07-01"
* term.asset.period.end = "2026-06-30"
* term.asset.usePeriod.start = "2025-07-01"
* term.asset.usePeriod.end = "2026-06-30"
* term.asset.valuedItem.entityReference = Reference(InsurancePlan/RX01) "Basic Health Cover"
* term.asset.valuedItem.net.value = 110.00
* term.asset.valuedItem.net.currency = #EUR
