"""Each app's form and filter cases for the generated bad input (tests/bad_input.py)."""
