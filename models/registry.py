"""Imports every entity module so that ``Base.metadata`` describes the whole schema.

Alembic's autogenerate and the models-versus-migrations test read the metadata from here.
"""

from models import audit, files, jobs, notify  # noqa: F401
from models.accounts import entities as account_entities  # noqa: F401
from models.base import Base
from models.carbon import entities as carbon_entities  # noqa: F401
from models.edi_docs import entities as edi_entities  # noqa: F401
from models.orders import entities as order_entities  # noqa: F401
from models.orgs import entities as org_entities  # noqa: F401
from models.orgs import paths as org_paths  # noqa: F401
from models.quality import entities as quality_entities  # noqa: F401
from models.scorecards import entities as scorecard_entities  # noqa: F401
from models.trace import entities as trace_entities  # noqa: F401

metadata = Base.metadata
