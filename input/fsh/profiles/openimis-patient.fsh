Profile: OpenimisPatient
Parent: Patient
Id: openimis-patient
Title: "openIMIS Patient (Insuree)"
Description: "An insuree registered in openIMIS: a person covered, or to be covered, by an insurance policy through the family (Group) they belong to."
* obeys oi-patient-1
* extension contains
    patient-is-head named isHead 0..1 MS and
    patient-education-level named educationLevel 0..1 and
    patient-profession named profession 0..1 and
    patient-identification named identification 0..1 and
    patient-card-issued named cardIssued 0..1 and
    patient-group-reference named group 0..1 and
    patient-vulnerability-status named vulnerability 0..1
// the insurance number (Code) is optional for insurees, unlike the codes of the other resources
* insert OpenimisIdentifierSlicingCard(0..1, 0..1)
* identifier[Code] ^short = "Insurance number (CHFID) of the insuree"
* identifier[Code].value obeys insureeCodeMustBeUnder13Chars
* name 1..1
* name.use = #official
* name.family 1..1 MS
* name.given 1..1 MS
* name.given ^short = "Other names of the insuree, in one string"
* insert OpenimisTelecomSlicing(2)
// openIMIS stores a phone number and an email address for an insuree, no fax
* telecom[fax] 0..0
* gender 1..1 MS
* birthDate 1..1 MS
* deceased[x] 0..0
* address 1..1 MS
* address ^slicing.discriminator.type = #value
* address ^slicing.discriminator.path = "use"
* address ^slicing.rules = #closed
* address ^slicing.description = "The family address (home) or the insuree's own current address (temp)."
* address.extension contains
    address-municipality named municipality 1..1 MS and
    address-location-reference named location 1..1 MS
* address.extension[location] ^short = "The village the insuree lives in"
* address.use 1..1
* address.type = #physical
* address.line ..1
* address.city 1..1 MS
* address.city ^short = "Village"
* address.district 1..1 MS
* address.state 1..1 MS
* address.state ^short = "Region"
* address.postalCode 0..0
* address.country 0..0
* address contains
    FamilyAddress 0..1 MS and
    InsureeAddress 0..1
* address[FamilyAddress] ^short = "Address of the insuree's family"
* address[FamilyAddress].use = #home
* address[InsureeAddress] ^short = "Current address of the insuree, when it differs from the family address"
* address[InsureeAddress].use = #temp
* maritalStatus from PatientMaritalStatusVS (required)
* multipleBirth[x] 0..0
* photo 0..1 MS
* photo ^slicing.discriminator.type = #exists
* photo ^slicing.discriminator.path = "url"
* photo ^slicing.rules = #closed
* photo ^slicing.description = "The server returns the photo as a link (URL); clients send it inline (Data)."
* photo.contentType 1..1 MS
* photo.hash 1..1
* photo.title 1..1 MS
* photo.creation 1..1 MS
* photo contains
    URL 0..1 and
    Data 0..1
* photo[URL] ^short = "Photo as a link, in read and search results"
* photo[URL].url 1..1
* photo[URL].size 1..1
* photo[URL].data 0..0
* photo[Data] ^short = "Photo inline, in create and update requests"
* photo[Data].data 1..1
* photo[Data].url 0..0
* contact 0..1
* contact ^short = "The head of the insuree's family (absent when the insuree is the head)"
* contact.relationship ..1
* contact.relationship from PatientContactRelationshipVS (extensible)
* contact.name 1..1
* communication 0..0
* generalPractitioner only Reference(openimis-health-facility-organization)
* generalPractitioner ^short = "First service point: the health facility the insuree chose"
* managingOrganization 0..0
* link 0..0
