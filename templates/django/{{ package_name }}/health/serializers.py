from rest_framework import serializers


class Liveness(serializers.Serializer[None]):
    status = serializers.CharField()


class Readiness(serializers.Serializer[None]):
    status = serializers.CharField()
    database = serializers.CharField()
