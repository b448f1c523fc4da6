"""One use case per command: values in, values out; no printing, no clock."""
