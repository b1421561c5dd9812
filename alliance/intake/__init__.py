"""From a new article to sourced facts: read it, find what it mentions, suggest facts.

`reading` turns a file or a paste into a parsed document (the seed pipeline's parser),
refusing what cannot be an article; `mentions` finds the organisations, people and AI
systems on record in its paragraphs; `suggestions` proposes facts for an editor to
confirm; `records` checks it is not on record already and saves it. The command
`ingest_article` and the admin's "add article from text" page both go through here.
"""
