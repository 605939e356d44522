"""Learned components (scikit-learn), trained from the gold annotations by `elig train`."""
