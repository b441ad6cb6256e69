"""Tables of the proposals system (placeholder: the helper building it fills this in)."""
