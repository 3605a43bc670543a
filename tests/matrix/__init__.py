"""Each app's rows of the access matrix (see tests/access_matrix.py)."""
