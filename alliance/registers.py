"""The registers that name the record's organisations and people, and where each shows one.

Wikidata's item comes first (the `wikidata_id` column), then the other registers'
identifiers (`ExternalIdentifier`). Pages list them, the API sends them with their
addresses, and the JSON-LD gives the addresses as `sameAs`.
"""

from dataclasses import dataclass

from alliance.models import Scheme

WIKIDATA = "wikidata"

#: Where each register shows the record an identifier names.
ADDRESSES = {
    WIKIDATA: "https://www.wikidata.org/wiki/{}",
    Scheme.ROR: "https://ror.org/{}",
    Scheme.LEI: "https://search.gleif.org/#/record/{}",
    Scheme.ISNI: "https://isni.org/isni/{}",
    Scheme.ORCID: "https://orcid.org/{}",
    Scheme.VIAF: "https://viaf.org/viaf/{}",
}
LABELS = {WIKIDATA: "Wikidata", **dict(Scheme.choices)}


@dataclass(frozen=True)
class Identifier:
    scheme: str
    value: str

    @property
    def label(self):
        return LABELS[self.scheme]

    @property
    def url(self):
        return ADDRESSES[self.scheme].format(self.value)


def wikidata_url(qid):
    return ADDRESSES[WIKIDATA].format(qid) if qid else None


def identifiers_of(party):
    """Every identifier of an organisation or a person, Wikidata's first.

    Reads `party.identifiers.all()` once per party object (the page and its JSON-LD share
    it); prefetch it where a list shows many parties.
    """
    if not hasattr(party, "_identifiers_found"):
        found = [Identifier(WIKIDATA, party.wikidata_id)] if party.wikidata_id else []
        found += [Identifier(row.scheme, row.value) for row in party.identifiers.all()]
        party._identifiers_found = found
    return party._identifiers_found


def same_as(party):
    """The addresses of the party in other registers, for schema.org's `sameAs`."""
    return [identifier.url for identifier in identifiers_of(party)]
