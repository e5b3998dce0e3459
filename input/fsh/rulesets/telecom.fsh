// Telecom pattern shared by the openIMIS profiles: at most one phone, one email and one fax, and at
// most `max` entries in all (openIMIS keeps each in its own column).
//   * insert OpenimisTelecomSlicing(3)
// A profile without one of the systems closes its slice after the insert, e.g. `* telecom[fax] 0..0`.
RuleSet: OpenimisTelecomSlicing(max)
* telecom 0..{max}
* telecom ^slicing.discriminator.type = #value
* telecom ^slicing.discriminator.path = "system"
* telecom ^slicing.rules = #closed
* telecom ^slicing.description = "Sliced by contact system: phone, email and fax."
* telecom.value 1..1
* telecom contains
    phone 0..1 and
    email 0..1 and
    fax 0..1
* telecom[phone].system = #phone
* telecom[email].system = #email
* telecom[fax].system = #fax
