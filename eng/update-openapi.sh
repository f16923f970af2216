#!/usr/bin/env bash
# Regenerates docs/openapi/v1.json (the OpenAPI 3 document of the JSON/HTTP API, from the protos' google.api.http
# rules) by running the drift test in write mode; commit the result with the proto change.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
STEERING_UPDATE_OPENAPI=1 dotnet test tests/AllInOne.Tests -c Release --nologo -v q \
  --filter "FullyQualifiedName~OpenApiDocumentTests"
echo "docs/openapi/v1.json updated"
