"""Frozen values: the catalog, the profile, the rules file and the saved plan."""
