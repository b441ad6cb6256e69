"""Tables of the supervision system (placeholder: the helper building it fills this in)."""
