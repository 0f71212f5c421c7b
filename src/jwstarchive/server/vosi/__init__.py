"""VOSI for the TAP service: availability, capabilities, tables, and the DALI examples page."""
