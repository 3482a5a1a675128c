"""Interval files too large for one API request: upload to S3, then import in the background.

API Gateway takes at most 10 MB and 29 s per request, and a 500,000-row history file is ~25 MB and
imports in about a minute. So the file goes to S3 first (a presigned PUT; moto locally), then
`POST .../run` queues it on the EXPORTS queue and `functions/export_reports` runs the very same
`ReadingImportService` on it (all or nothing, idempotent), a dry run or the import. The upload's
document (`reading_imports`) carries its state: awaiting_upload -> uploaded -> queued -> running ->
done | failed, with the report or the errors; polling `GET .../{id}` shows them.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, cast

from botocore.exceptions import ClientError
from pymongo import ReturnDocument
from pymongo.database import Database

from chalicelib.adapters import storage
from chalicelib.adapters.repositories import now
from chalicelib.errors import Conflict, DomainError, NotFound
from chalicelib.services.context import Principal
from chalicelib.services.reading_import import ReadingImportService

UPLOAD_EXPIRES_S = 3600
CONTENT_TYPE = "text/csv"


class ImportUploadService:
    def __init__(self, db: Database, imports: ReadingImportService, bucket: str,
                 enqueue: Callable[[dict[str, Any]], Any], direct_upload: bool) -> None:
        self.uploads = db["reading_imports"]
        self.imports = imports
        self.bucket = bucket
        self.enqueue = enqueue
        # locally the browser cannot PUT to moto across origins, so the file goes through the API instead
        self.direct_upload = direct_upload

    def create(self, who: Principal, filename: str | None) -> dict[str, Any]:
        upload_id = uuid.uuid4().hex[:16]
        key = f"imports/{upload_id}.csv"
        moment = now()
        self.uploads.insert_one({"_id": upload_id, "key": key, "filename": filename, "status": "awaiting_upload",
                                 "created_by": who.username, "role": who.role, "created_at": moment,
                                 "updated_at": moment, "report": None, "error": None, "errors": []})
        if self.direct_upload:
            url, auth = f"/api/v1/readings/import/uploads/{upload_id}/file", True
        else:
            url, auth = storage.upload_url(self.bucket, key, CONTENT_TYPE, UPLOAD_EXPIRES_S), False
        return {"id": upload_id, "upload_url": url, "method": "PUT", "content_type": CONTENT_TYPE,
                "with_credentials": auth, "expires_in": UPLOAD_EXPIRES_S}

    def _get(self, who: Principal, upload_id: str) -> dict[str, Any]:
        doc = self.uploads.find_one({"_id": upload_id})
        if doc is None or (doc["created_by"] != who.username and who.role != "admin"):
            raise NotFound(f"upload '{upload_id}' does not exist")
        return doc

    def _set(self, upload_id: str, fields: dict[str, Any]) -> dict[str, Any]:
        """Sets the fields and answers the document as it is now."""
        doc = self.uploads.find_one_and_update({"_id": upload_id}, {"$set": {**fields, "updated_at": now()}},
                                               return_document=ReturnDocument.AFTER)
        return cast(dict[str, Any], doc)

    def put_file(self, who: Principal, upload_id: str, data: bytes) -> dict[str, Any]:
        """The file, through the API (the local stage's upload URL)."""
        doc = self._get(who, upload_id)
        if doc["status"] not in ("awaiting_upload", "uploaded", "done", "failed"):
            raise Conflict(f"upload '{upload_id}' is {doc['status']}; wait until it has finished")
        storage.put(self.bucket, doc["key"], data, CONTENT_TYPE)
        return self.view(self._set(upload_id, {"status": "uploaded", "size": len(data)}))

    def start(self, who: Principal, upload_id: str, dry_run: bool) -> dict[str, Any]:
        doc = self._get(who, upload_id)
        if doc["status"] in ("queued", "running"):
            raise Conflict(f"upload '{upload_id}' is {doc['status']} already")
        try:
            head = storage.s3_client().head_object(Bucket=self.bucket, Key=doc["key"])
        except ClientError:
            raise Conflict(f"upload '{upload_id}' has no file yet: PUT it to its upload URL first") from None
        queued = self._set(upload_id, {
            "status": "queued", "dry_run": dry_run, "size": int(head.get("ContentLength") or 0), "report": None,
            "error": None, "errors": [], "started_by": who.username, "started_role": who.role})
        self.enqueue({"reading_import": upload_id})
        return self.view(queued)

    def get(self, who: Principal, upload_id: str) -> dict[str, Any]:
        return self.view(self._get(who, upload_id))

    def run(self, upload_id: str) -> dict[str, Any] | None:
        """Import one queued upload (the export_reports function calls this for each message)."""
        doc = self.uploads.find_one_and_update({"_id": upload_id, "status": "queued"},
                                               {"$set": {"status": "running", "updated_at": now()}})
        if doc is None:
            return None  # already taken, or not queued
        who = Principal(username=doc.get("started_by") or doc["created_by"],
                        role=doc.get("started_role") or doc["role"])
        try:
            data = storage.s3_client().get_object(Bucket=self.bucket, Key=doc["key"])["Body"].read()
            report = self.imports.run(who, data, bool(doc.get("dry_run")))
        except DomainError as exc:  # the file's problems: named by row and column, nothing written
            return self._set(upload_id, {"status": "failed", "error": exc.message, "errors": exc.details[:200]})
        except Exception:
            self._set(upload_id, {"status": "queued"})
            raise  # the message returns to the queue and is retried
        return self._set(upload_id, {"status": "done", "report": report})

    @staticmethod
    def view(doc: dict[str, Any]) -> dict[str, Any]:
        return {"id": doc["_id"], "status": doc["status"], "filename": doc.get("filename"),
                "size": doc.get("size"), "dry_run": doc.get("dry_run"), "report": doc.get("report"),
                "error": doc.get("error"), "errors": doc.get("errors") or [], "created_at": doc["created_at"],
                "updated_at": doc["updated_at"]}
