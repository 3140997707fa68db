"""Every write of the registrations app, one module per sub-domain."""
