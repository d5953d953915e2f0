"""The feature list: every blueprint, registered in one place to keep routes auditable."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from webapp import health, home, i18n
from webapp.audit import api as audit_api
from webapp.audit import views as audit_views
from webapp.auth import api as auth_api
from webapp.auth import views as auth_views
from webapp.carbon import activity as carbon_activity
from webapp.carbon import admin as carbon_admin
from webapp.carbon import api as carbon_api
from webapp.carbon import declare as carbon_declare
from webapp.carbon import reports as carbon_reports
from webapp.carbon import views as carbon_views
from webapp.dashboard import api as dashboard_api
from webapp.dashboard import own_views as dashboard_own_views
from webapp.dashboard import supplier_views as dashboard_supplier_views
from webapp.dashboard import views as dashboard_views
from webapp.edi import api as edi_api
from webapp.edi import views as edi_views
from webapp.inbox import views as inbox_views
from webapp.network import api as network_api
from webapp.network import views as network_views
from webapp.onboarding import views as onboarding_views
from webapp.orders import api as orders_api
from webapp.orders import api_logistics as orders_logistics_api
from webapp.orders import logistics as orders_logistics
from webapp.orders import parts_views as orders_parts
from webapp.orders import reporting as orders_reporting
from webapp.orders import views as orders_views
from webapp.org import api as org_api
from webapp.org import views as org_views
from webapp.pact import views as pact_views
from webapp.quality import api as quality_api
from webapp.quality import api_eightd as quality_eightd_api
from webapp.quality import eightd_views as quality_eightd_views
from webapp.quality import measure as quality_measure_views
from webapp.quality import spec_views as quality_spec_views
from webapp.quality import views as quality_views
from webapp.system import api as system_api
from webapp.system import views as system_views
from webapp.trace import api as trace_api
from webapp.trace import incident_views as trace_incident_views
from webapp.trace import incidents_api as trace_incidents_api
from webapp.trace import views as trace_views

PAGE_BLUEPRINTS = [
    home.bp,
    health.bp,
    i18n.bp,
    auth_views.bp,
    system_views.bp,
    network_views.bp,
    org_views.bp,
    onboarding_views.bp,
    inbox_views.bp,
    edi_views.bp,
    quality_views.bp,
    quality_measure_views.bp,
    quality_eightd_views.bp,
    quality_spec_views.bp,
]
PAGE_BLUEPRINTS += [orders_views.bp, orders_reporting.bp, orders_logistics.bp, orders_parts.bp]
API_BLUEPRINTS = [auth_api.bp, system_api.bp, network_api.bp, org_api.bp, edi_api.bp]
API_BLUEPRINTS += [quality_api.bp, quality_eightd_api.bp]
API_BLUEPRINTS += [orders_api.bp, orders_logistics_api.bp]
PAGE_BLUEPRINTS += [carbon_views.bp, carbon_activity.bp, carbon_declare.bp, carbon_reports.bp]
PAGE_BLUEPRINTS += [carbon_admin.bp, pact_views.bp]
API_BLUEPRINTS += [carbon_api.bp]
PAGE_BLUEPRINTS += [trace_views.bp, trace_incident_views.bp]
API_BLUEPRINTS += [trace_api.bp, trace_incidents_api.bp]
PAGE_BLUEPRINTS += [dashboard_views.bp, dashboard_supplier_views.bp, dashboard_own_views.bp]
API_BLUEPRINTS += [dashboard_api.bp]
PAGE_BLUEPRINTS += [audit_views.bp]
API_BLUEPRINTS += [audit_api.bp]


def register(app: Flask, api: Api) -> None:
    for blueprint in PAGE_BLUEPRINTS:
        app.register_blueprint(blueprint)
    for blueprint in API_BLUEPRINTS:
        api.register_blueprint(blueprint)
