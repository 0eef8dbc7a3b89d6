"""History. In: git tags and earlier versions of an evaluation. Out: ChangeRecords (the 変更箇所
annex rows), submissions, item diffs and redlines for review, published-version tags.
"""
