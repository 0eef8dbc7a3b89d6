"""Building. In: the project. Out: output/site brought up to date: plan (what changed), jobs (one
evaluation each), the manifest cache, executors, the output writer and the build itself.
"""
