"""Checking. In: a bound evaluation. Out: an Evaluation and every Diagnostic found in it
(form rules, conditions, agreement between parts).
"""
