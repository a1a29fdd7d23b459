"""HTTP routes, grouped by API version."""
