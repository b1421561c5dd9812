"""What is measured, and the target each measurement is held to (issue: "Targets")."""

from dataclasses import dataclass

STATIC = "static"


@dataclass(frozen=True)
class Target:
    """Requests per second at least `minimum` times those of `of`, in the same phase."""

    minimum: float
    of: str = STATIC

    def describe(self, labels):
        of = "the static file" if self.of == STATIC else labels.get(self.of, self.of)
        return f"≥ {self.minimum:.0%} of {of}"


@dataclass(frozen=True)
class Endpoint:
    name: str
    label: str
    path: str
    target: Target | None = None
    #: Sent with If-None-Match set to the ETag of a first plain request; answers 304.
    conditional: bool = False
    #: Measured a second time with the page cache on.
    warm: bool = True
    #: The stock endpoint (plain Django or DRF) it is compared to, in the same phase.
    baseline: str | None = None
    #: A Lua file that makes each request (addresses that change from one to the next).
    script: str | None = None
    #: Measured while the record is edited once a second (alliance.bench.phases).
    edits: bool = False
    #: Further addresses its script reads, each served by every worker before the clock.
    warmup: tuple = ()
    #: Sent with every request, as (name, value) pairs.
    headers: tuple = ()
    #: Held to this in the warm phase rather than to WARM_TARGET.
    warm_target: Target | None = None

    @property
    def expected_status(self):
        return 304 if self.conditional else 200


WARM_TARGET = Target(0.70)
CONDITIONAL_TARGET = Target(0.70)
COMPARED_TO_SQLITE = 0.80
MEMORY_LIMIT_MB = 150


def endpoints(static_path, organisation_slug, article_slug):
    """Every endpoint of the benchmark, the static file first."""
    organisation = f"/fr/organisations/{organisation_slug}/"
    api_detail = f"/api/v1/organisations/{organisation_slug}/"
    return [
        Endpoint(STATIC, "static file (whitenoise)", static_path, warm=False),
        # The stock baseline (alliance.bench.stock), served by the same gunicorn.
        Endpoint("stock-list", "stock ListView", "/stock/organisations/", warm=False),
        Endpoint(
            "stock-detail",
            "stock DetailView",
            f"/stock/organisations/{organisation_slug}/",
            warm=False,
        ),
        Endpoint(
            "stock-api-list", "stock DRF ListAPIView", "/stock/api/organisations/", warm=False
        ),
        Endpoint("home", "home page", "/fr/", Target(0.10)),
        # As a browser asks for it: compressing it again at each request would cost more
        # than taking it from the cache.
        Endpoint(
            "home-gzip",
            "home page, gzip",
            "/fr/",
            Target(0.80, "home"),
            headers=(("Accept-Encoding", "gzip"),),
            # What it is there to show: compressing costs little beside the plain page.
            warm_target=Target(0.80, "home"),
        ),
        Endpoint(
            "list", "organisation list", "/fr/organisations/", Target(0.15), baseline="stock-list"
        ),
        Endpoint(
            "list-filtered",
            "organisation list, filtered",
            "/fr/organisations/?kind=company",
            Target(0.80, "list"),
        ),
        Endpoint(
            "list-searched",
            "organisation list, searched",
            "/fr/organisations/?q=ibm",
            Target(0.80, "list"),
        ),
        Endpoint(
            "list-page-200",
            "organisation list, page 200",
            "/fr/organisations/?page=200",
            Target(0.80, "list"),
        ),
        Endpoint(
            "organisation",
            "organisation page",
            organisation,
            Target(0.30),
            baseline="stock-detail",
        ),
        Endpoint("article", "article page", f"/fr/articles/{article_slug}/", Target(0.20)),
        Endpoint("positions", "positions list", "/fr/positions/", Target(0.15)),
        Endpoint(
            "api-list",
            "API organisation list",
            "/api/v1/organisations/",
            Target(0.25),
            baseline="stock-api-list",
        ),
        Endpoint("api-positions", "API positions list", "/api/v1/positions/", Target(0.20)),
        Endpoint(
            "api-list-filtered",
            "API list, filtered",
            "/api/v1/organisations/?kind=company",
            Target(0.80, "api-list"),
        ),
        Endpoint(
            "api-list-searched",
            "API list, searched",
            "/api/v1/organisations/?search=ibm",
            Target(0.80, "api-list"),
        ),
        Endpoint(
            "api-list-page-200",
            "API list, deep page",
            "/api/v1/organisations/?page=200",
            Target(0.80, "api-list"),
        ),
        Endpoint("api-detail", "API organisation detail", api_detail),
        Endpoint(
            "organisation-304",
            "organisation page, 304",
            organisation,
            CONDITIONAL_TARGET,
            conditional=True,
            warm=False,
        ),
        Endpoint(
            "api-detail-304",
            "API detail, 304",
            api_detail,
            CONDITIONAL_TARGET,
            conditional=True,
            warm=False,
        ),
    ]
