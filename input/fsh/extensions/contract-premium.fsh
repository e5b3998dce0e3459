Extension: ContractPremium
Id: contract-premium
Title: "Premium (Contract)"
Description: "One contribution (premium) paid towards a policy: who paid, what it is for, how much, the receipt number, the payment date and the means of payment. A policy collects one entry per payment."
* insert ExtensionContext(Contract.term.asset)
* extension contains
    payer 0..1 MS and
    category 1..1 MS and
    amount 1..1 MS and
    receipt 1..1 and
    date 1..1 and
    type 1..1
* extension[payer] ^short = "Who paid the contribution"
* extension[payer].value[x] only CodeableConcept
* extension[payer].valueCodeableConcept from ContractPremiumPayerVS (extensible)
* extension[category] ^short = "What the payment is for (contribution or photo fee)"
* extension[category].value[x] only CodeableConcept
* extension[category].valueCodeableConcept from ContractPremiumCategoryVS (required)
* extension[amount] ^short = "Amount paid"
* extension[amount].value[x] only Money
* extension[amount].valueMoney.value 1..1
* extension[receipt] ^short = "Receipt number of the payment"
* extension[receipt].value[x] only string
* extension[date] ^short = "Date the payment was made"
* extension[date].value[x] only date
* extension[type] ^short = "Means of payment (cash, bank transfer, mobile phone)"
* extension[type].value[x] only CodeableConcept
* extension[type].valueCodeableConcept from ContractPremiumTypeVS (required)
