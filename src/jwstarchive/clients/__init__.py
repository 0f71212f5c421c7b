"""Clients of the JWST archives (ESA TAP+, MAST) that talk HTTP only."""
