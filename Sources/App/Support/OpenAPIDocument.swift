/// The OpenAPI 3.1 document of the JSON API: the same text as docs/openapi.json (a test keeps them equal).
enum OpenAPIDocument {
    static let json = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "ThiDua — API hồ sơ thủ tục hành chính",
    "version": "1.0.0",
    "description": "One-stop systems send dossiers and read indicators. Authenticate with `Authorization: Bearer <token>`; tokens are issued by the reform office with scopes `dossiers:write` and/or `indicators:read`. Times: ISO 8601 with an offset, or without one in Vietnam time (UTC+7). Errors are JSON with a Vietnamese message."
  },
  "servers": [{"url": "/"}],
  "security": [{"bearer": []}],
  "paths": {
    "/api/v1/dossiers": {
      "post": {
        "operationId": "sendDossiers",
        "summary": "Send a batch of dossiers (at most 5,000); re-sending a code replaces that dossier",
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DossierBatch"},
            "example": {"dossiers": [
              {"code": "VD-BHXH-2611230001", "procedure_code": "1.000775.000.00.00.H99", "unit_code": "BHXH", "channel": "online",
               "received_at": "2026-11-23T09:00:00+07:00", "resolved_at": "2026-11-25T15:30:00+07:00", "returned_at": "2026-11-25T15:30:00+07:00",
               "result": "approved", "paid_online": false, "digitised": true, "rating": "satisfied", "complaint": false},
              {"code": "VD-BQLKCN-2611230002", "procedure_code": "1.001193.000.00.00.H99", "unit_code": "BQLKCN", "channel": "counter",
               "received_at": "2026-11-23T02:15:00Z"}]}}}
        },
        "responses": {
          "200": {"description": "Stored (dossiers with an unknown procedure or unit are kept aside and listed)",
                  "headers": {"Server-Timing": {"description": "Milliseconds per phase of the batch (W3C Server Timing): parse, check, wait, lookup, rows, dossiers, tallies, commit", "schema": {"type": "string"}}},
                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/IngestReport"}}}},
          "400": {"$ref": "#/components/responses/Error"},
          "401": {"$ref": "#/components/responses/Error"},
          "403": {"$ref": "#/components/responses/Error"},
          "413": {"$ref": "#/components/responses/Error"},
          "422": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/api/v1/indicators": {
      "get": {
        "operationId": "readIndicators",
        "summary": "Indicators per unit for a period",
        "parameters": [
          {"name": "year", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 2000, "maximum": 2100}},
          {"name": "period", "in": "query", "required": false,
           "schema": {"type": "string", "enum": ["m1","m2","m3","m4","m5","m6","m7","m8","m9","m10","m11","m12","q1","q2","q3","q4","h1","n9","y"]}}
        ],
        "responses": {
          "200": {"description": "Indicators", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Indicators"}}}},
          "400": {"$ref": "#/components/responses/Error"},
          "401": {"$ref": "#/components/responses/Error"},
          "403": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/api/v1/openapi.json": {
      "get": {
        "operationId": "openAPI",
        "summary": "This document",
        "security": [],
        "responses": {"200": {"description": "The OpenAPI document", "content": {"application/json": {"schema": {"type": "object"}}}}}
      }
    }
  },
  "components": {
    "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
    "responses": {
      "Error": {"description": "Refused; nothing of the batch was stored",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    },
    "schemas": {
      "DossierBatch": {
        "type": "object",
        "required": ["dossiers"],
        "properties": {"dossiers": {"type": "array", "maxItems": 5000, "items": {"$ref": "#/components/schemas/Dossier"}}}
      },
      "Instant": {"type": "string", "pattern": "^(\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:?\\d{2})?|\\d{2}/\\d{2}/\\d{4} \\d{2}:\\d{2}(:\\d{2})?)$",
        "description": "A moment: ISO 8601 with an offset (2026-11-23T09:00:00+07:00, 2026-11-23T02:00:00Z) or without one in Vietnam time (2026-11-23 09:00, 23/11/2026 09:00). The date must exist and an offset be at most 14 hours: such an item is refused with 422.",
        "examples": ["2026-11-23T09:00:00+07:00"]},
      "Dossier": {
        "type": "object",
        "required": ["code", "procedure_code", "unit_code", "channel", "received_at"],
        "additionalProperties": false,
        "properties": {
          "code": {"type": "string", "minLength": 1, "maxLength": 32, "pattern": "^\\s*[A-Za-z0-9][A-Za-z0-9._/-]{0,31}\\s*$", "description": "Dossier code, unique in the province (letters are read upper-case)"},
          "procedure_code": {"type": "string", "minLength": 1, "maxLength": 32, "pattern": "^\\s*[A-Za-z0-9][A-Za-z0-9._/-]{0,31}\\s*$", "description": "National procedure code (catalogue) (letters are read upper-case)"},
          "unit_code": {"type": "string", "minLength": 1, "maxLength": 32, "pattern": "^\\s*[A-Za-z0-9][A-Za-z0-9._/-]{0,31}\\s*$", "description": "Receiving unit's code (registry) (letters are read upper-case)"},
          "channel": {"type": "string", "enum": ["counter", "online", "postal"]},
          "received_at": {"$ref": "#/components/schemas/Instant"},
          "due_at": {"oneOf": [{"$ref": "#/components/schemas/Instant"}, {"type": "null"}]},
          "resolved_at": {"oneOf": [{"$ref": "#/components/schemas/Instant"}, {"type": "null"}]},
          "returned_at": {"oneOf": [{"$ref": "#/components/schemas/Instant"}, {"type": "null"}]},
          "result": {"type": ["string", "null"], "enum": ["approved", "refused", "withdrawn", null]},
          "paid_online": {"type": ["boolean", "null"]},
          "digitised": {"type": ["boolean", "null"]},
          "rating": {"type": ["string", "null"], "enum": ["very_satisfied", "satisfied", "unsatisfied", null]},
          "complaint": {"type": ["boolean", "null"]}
        }
      },
      "IngestReport": {
        "type": "object",
        "required": ["inserted", "updated", "keptAside"],
        "properties": {
          "inserted": {"type": "integer"},
          "updated": {"type": "integer"},
          "keptAside": {"type": "array", "items": {"type": "object", "required": ["code", "reason"],
            "properties": {"code": {"type": "string"}, "reason": {"type": "string", "enum": ["unknownProcedure", "unknownUnit"]}}}}
        }
      },
      "Error": {
        "type": "object",
        "required": ["error", "message"],
        "properties": {
          "error": {"type": "string"},
          "message": {"type": "string"},
          "items": {"type": "array", "items": {"type": "object", "required": ["index", "field", "problem"],
            "properties": {"index": {"type": "integer"}, "code": {"type": ["string", "null"]}, "field": {"type": "string"},
                           "problem": {"type": "string"}, "value": {"type": ["string", "null"]}}}}
        }
      },
      "Indicators": {
        "type": "object",
        "required": ["year", "period", "units"],
        "properties": {
          "year": {"type": "integer"},
          "period": {"type": "string"},
          "units": {"type": "array", "items": {"$ref": "#/components/schemas/IndicatorLine"}}
        }
      },
      "IndicatorLine": {
        "type": "object",
        "required": ["unitCode", "unitName", "received", "resolved", "early", "onTime", "late"],
        "properties": {
          "unitCode": {"type": "string"}, "unitName": {"type": "string"},
          "received": {"type": "integer"}, "resolved": {"type": "integer"}, "early": {"type": "integer"},
          "onTime": {"type": "integer"}, "late": {"type": "integer"},
          "onTimeRate": {"type": ["string", "null"]}, "overdueRate": {"type": ["string", "null"]},
          "onlineRate": {"type": ["string", "null"]}, "onlinePaymentRate": {"type": ["string", "null"]},
          "digitisationRate": {"type": ["string", "null"]}, "satisfactionRate": {"type": ["string", "null"]},
          "averageDays": {"type": ["string", "null"]}, "timeCut": {"type": ["string", "null"]}
        }
      }
    }
  }
}
"""#
}
