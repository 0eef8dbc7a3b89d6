"""Reading sources. In: content/ (evaluations, clauses, organisation profiles). Out: a SourceDoc per
evaluation, bound to its form as PartData, clause calls expanded; the clause library and org profiles.
"""
