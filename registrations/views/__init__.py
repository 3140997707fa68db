"""The attendee side's pages, one module per sub-domain."""
