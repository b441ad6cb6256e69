"""Tables of the issuing system (placeholder: the helper building it fills this in)."""
