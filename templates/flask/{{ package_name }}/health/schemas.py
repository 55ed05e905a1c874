from marshmallow import Schema, fields


class Liveness(Schema):
    status = fields.String(required=True)


class Readiness(Schema):
    status = fields.String(required=True)
    database = fields.String(required=True)
