"""Terminal drawings of the values the use cases return."""
