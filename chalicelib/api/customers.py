"""Customers."""
from __future__ import annotations

from chalice import Blueprint

from chalicelib.api.csv_routes import csv_routes
from chalicelib.api.framework import LIST_PARAMS, Request, route
from chalicelib.domain.models import Customer, CustomerCreate, CustomerPage, CustomerUpdate
from chalicelib.services.customers import EXPORT_HEADERS

bp = Blueprint(__name__)


@route(bp, "/customers", "GET", "customers:read", "List customers (a customer sees itself)", "customers",
       response=CustomerPage, query=LIST_PARAMS)
def list_customers(req: Request) -> dict:
    return req.services.customers.find(req.who, req.list_query())


@route(bp, "/customers", "POST", "customers:write", "Add a customer with its meters and SIM", "customers",
       body=CustomerCreate, response=Customer, status=201)
def create_customer(req: Request) -> dict:
    return req.services.customers.create(req.who, req.body)


csv_routes(bp, "customers", "customers", EXPORT_HEADERS,
           lambda req: req.services.customers.export_rows(req.who, req.list_query()))


@route(bp, "/customers/{customer_id}", "GET", "customers:read", "One customer", "customers", response=Customer)
def get_customer(req: Request, customer_id: str) -> dict:
    return req.services.customers.get(req.who, customer_id)


@route(bp, "/customers/{customer_id}", "PATCH", "customers:write", "Change a customer or its meters", "customers",
       body=CustomerUpdate, response=Customer)
def update_customer(req: Request, customer_id: str) -> dict:
    return req.services.customers.update(req.who, customer_id, req.body)


@route(bp, "/customers/{customer_id}", "DELETE", "customers:write", "Delete a customer (meters are released)",
       "customers", status=204, extra_errors=(409,))
def delete_customer(req: Request, customer_id: str) -> None:
    req.services.customers.delete(req.who, customer_id)
