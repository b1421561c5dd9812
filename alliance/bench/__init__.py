"""`make bench`: the site under load on the generated record, beside a static file.

`python -m alliance.bench` builds the scale database, serves the site with gunicorn
(production settings), drives every endpoint with wrk in rotated rounds and writes a
report (JSON and a table) under bench/.
"""
