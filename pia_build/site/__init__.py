"""The site. In: assembled documents and rendered outputs. Out: the site's pages, the search
index; the live preview server and its file watcher.
"""
