"""The customer-portal simulator (SPEC §3): the vendor website's side of a reset."""
