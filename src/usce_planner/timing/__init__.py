"""When things can happen: allowed starts, preparation steps, visas, English tests."""
