"""The attendee side's forms, one module per sub-domain."""
