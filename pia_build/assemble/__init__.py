"""Assembling. In: a checked Evaluation and its prepared history. Out: an AssembledDoc, the
ordered, numbered rows every renderer draws.
"""
