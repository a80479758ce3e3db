"""The one definition of the entity fields: persons, organisations, places.

The index field (``persons``), the gazetteer's type and the request
parameter (``person``) and the German label are spelled here and looked up
everywhere else, so a fourth kind of entity is one line.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EntityField:
    plural: str  # the index field and the SearchRequest attribute: "persons"
    param: str  # the request parameter, facet name and gazetteer type: "person"
    label: str  # German, for pages: "Personen"


ENTITY_FIELDS = (
    EntityField("persons", "person", "Personen"),
    EntityField("orgs", "org", "Organisationen"),
    EntityField("places", "place", "Orte"),
)
BY_PLURAL = {f.plural: f for f in ENTITY_FIELDS}
BY_PARAM = {f.param: f for f in ENTITY_FIELDS}
PLURAL_OF_PARAM = {f.param: f.plural for f in ENTITY_FIELDS}  # "person" -> "persons"
PARAM_OF_PLURAL = {f.plural: f.param for f in ENTITY_FIELDS}  # "persons" -> "person"
