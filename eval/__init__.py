"""Evaluation harness: gold-standard readers (BRAT / LCT) and scoring of `elig extract` output."""
