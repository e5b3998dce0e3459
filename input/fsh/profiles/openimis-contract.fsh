Profile: OpenimisContract
Parent: Contract
Id: openimis-contract
Title: "openIMIS Contract"
Description: "The enrolment (or renewal) of a family or a policy holder in an openIMIS product: the policy itself, its period, the insurees it covers, its value and the contributions paid. This is the resource used to create policies; Coverage is the read-only view of the result."
* obeys oi-contract-1
* id ^short = "The openIMIS policy UUID"
* insert OpenimisUuidIdentifierSlicing(0..1)
* url 0..0
* version 0..0
* status from ContractStatusCodesVS (required)
* status ^short = "offered (idle policy) | executed (active policy)"
* legalState 0..0
* instantiatesCanonical 0..0
* instantiatesUri 0..0
* contentDerivative 0..0
* issued 1..1
* issued ^short = "Enrolment or renewal date (openIMIS Policy.EnrollDate)"
* applies 0..0
* expirationType 0..0
* subject 1..1
* subject only Reference(openimis-group or openimis-policy-holder-organization)
* subject ^short = "The enrolled family (informal sector) or policy holder (formal sector)"
* authority 0..1
* authority only Reference(openimis-insurance-organization)
* domain 0..0
* site 0..0
* name 0..0
* title 0..0
* subtitle 0..0
* alias 0..0
* author only Reference(openimis-enrolment-officer-practitioner)
* author ^short = "The enrolment officer who enrolled the policy"
* scope 1..1
* scope from ContractScopeVS (required)
* topic[x] 0..0
* type 0..0
* subType 0..0
* contentDefinition 0..0
* term 1..*
* term.identifier 0..0
* term.issued 0..0
* term.applies 0..0
* term.topic[x] 0..0
* term.type 0..0
* term.subType 0..0
* term.text 0..0
* term.securityLabel 0..0
* term.offer.identifier 0..0
* term.offer.party 1..1
* term.offer.party.reference 1..1
* term.offer.party.reference only Reference(openimis-patient)
* term.offer.party.reference ^short = "The head of the insured family"
* term.offer.party.role = ContractResourcePartyRoleCS#beneficiary
* term.offer.topic 0..0
* term.offer.type 0..0
* term.offer.decision 0..0
* term.offer.decisionMode 0..0
* term.offer.answer 0..0
* term.offer.text 0..0
* term.offer.linkId 0..0
* term.offer.securityLabelNumber 0..0
* term.asset 1..*
* term.asset ^short = "The policy"
* term.asset.extension contains contract-premium named premium 0..* MS
* term.asset.scope 0..0
* term.asset.type 0..0
* term.asset.typeReference 1..*
* term.asset.typeReference only Reference(openimis-patient)
* term.asset.typeReference ^short = "The insurees covered by the policy"
* term.asset.subtype 0..0
* term.asset.relationship 0..0
* term.asset.context 0..0
* term.asset.condition 0..0
* term.asset.periodType 0..0
* term.asset.period 1..1
* term.asset.period.start 1..1
* term.asset.period.start ^short = "Policy start date (openIMIS Policy.StartDate)"
* term.asset.period.end 1..1
* term.asset.period.end ^short = "Policy expiry date (openIMIS Policy.ExpiryDate)"
* term.asset.usePeriod 1..1
* term.asset.usePeriod.start 1..1
* term.asset.usePeriod.start ^short = "Effective date (openIMIS Policy.EffectiveDate)"
* term.asset.usePeriod.end 1..1
* term.asset.usePeriod.end ^short = "Policy expiry date (openIMIS Policy.ExpiryDate)"
* term.asset.text 0..0
* term.asset.linkId 0..0
* term.asset.answer 0..0
* term.asset.securityLabelNumber 0..0
* term.asset.valuedItem 1..*
* term.asset.valuedItem.entity[x] 1..1
* term.asset.valuedItem.entity[x] only Reference(openimis-insurance-plan)
* term.asset.valuedItem.entity[x] ^short = "The product (InsurancePlan) of the policy"
* term.asset.valuedItem.identifier 0..0
* term.asset.valuedItem.effectiveTime 0..0
* term.asset.valuedItem.quantity 0..0
* term.asset.valuedItem.unitPrice 0..0
* term.asset.valuedItem.factor 0..0
* term.asset.valuedItem.points 0..0
* term.asset.valuedItem.net 1..1
* term.asset.valuedItem.net.value 1..1
* term.asset.valuedItem.net ^short = "Policy value (openIMIS Policy.PolicyValue)"
* term.asset.valuedItem.payment 0..0
* term.asset.valuedItem.paymentDate 0..0
* term.asset.valuedItem.responsible 0..0
* term.asset.valuedItem.recipient 0..0
* term.asset.valuedItem.linkId 0..0
* term.asset.valuedItem.securityLabelNumber 0..0
* term.action 0..0
* term.group 0..0
* supportingInfo 0..0
* relevantHistory 0..0
* signer 0..0
* friendly 0..0
* legal 0..0
* rule 0..0
* legallyBinding[x] 0..0
