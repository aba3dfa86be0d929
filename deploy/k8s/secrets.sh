#!/usr/bin/env bash
# Prints the Secrets the manifests mount, as Kubernetes YAML, from a directory
# made by tools/secrets.sh (or holding your own CA's certificates under the
# same names) and the databases' base URL:
#
#   tools/secrets.sh /secure/osan build/tools/osanctl
#   deploy/k8s/secrets.sh /secure/osan \
#     'postgresql://osan:PASSWORD@pg-0,pg-1,pg-2' | kubectl apply -f -
#
# The database URLs get /osan_catalog, /osan_enrollment and /osan_credit and
# ?target_session_attrs=read-write (the Patroni leader). The token issuer's
# private key is not among them: it stays with whoever issues tokens.
set -euo pipefail
dir=${1:?usage: secrets.sh DIR DATABASE_BASE_URL}
base=${2:?usage: secrets.sh DIR DATABASE_BASE_URL}

# secret NAME KEY=FILE|KEY=@VALUE...
secret() {
  local name=$1
  shift
  printf -- '---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: %s\ntype: Opaque\ndata:\n' "$name"
  local entry key source
  for entry in "$@"; do
    key=${entry%%=*}
    source=${entry#*=}
    if [ "${source:0:1}" = @ ]; then
      printf '  %s: %s\n' "$key" "$(printf '%s' "${source:1}" | base64 -w0)"
    else
      printf '  %s: %s\n' "$key" "$(base64 -w0 <"$source")"
    fi
  done
}

for service in catalog:osan_catalog enrollment:osan_enrollment credit-record:osan_credit; do
  secret "osan-${service%%:*}-db" "url=@$base/${service#*:}?target_session_attrs=read-write&connect_timeout=2"
done
secret osan-token-keys "token-verify.pem=$dir/keys/token-verify.pem" \
  "enrollment-verify.pem=$dir/keys/enrollment-verify.pem" \
  "credit-verify.pem=$dir/keys/credit-verify.pem" \
  "listing-verify.pem=$dir/keys/listing-verify.pem"
secret osan-page-token "page-token.secret=$dir/keys/page-token.secret"
secret osan-ca "ca.crt=$dir/tls/ca.pem"
for service in catalog enrollment credit-record listing; do
  secret "osan-$service-tls" "tls.crt=$dir/tls/$service.pem" "tls.key=$dir/tls/$service-key.pem"
done
secret osan-enrollment-signing "signing.pem=$dir/keys/enrollment-signing.pem"
secret osan-credit-record-signing "signing.pem=$dir/keys/credit-signing.pem"
secret osan-listing-signing "signing.pem=$dir/keys/listing-signing.pem"
