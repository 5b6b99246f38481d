#!/usr/bin/env bash
# Asks the running inference-service about official Fashion-MNIST test images.
#   scripts/predict.sh [--grpc] [--images 8] [--url http://127.0.0.1:8082]
#   scripts/predict.sh accuracy [--url ...]   the whole test set through POST /api/predict
set -euo pipefail
source "$(dirname "$0")/lib/env.sh"
source "$NIN_ROOT/scripts/lib/client.sh"
"$NIN_ROOT/scripts/dataset.sh" >&2
module_java inference-client dev.nin.client.InferenceClient "$@"
