Extension: AddressLocationReference
Id: address-location-reference
Title: "Location (Address)"
Description: "The openIMIS Location the address lies in (a village for insurees and families, a district for health facilities), so that the address can be resolved to the location hierarchy rather than matched by name."
* insert ExtensionContext(Address)
* value[x] only Reference(Location)
