"""Tables of the incoming system (placeholder: the helper building it fills this in)."""
