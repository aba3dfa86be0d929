#!/usr/bin/env bash
# Generates what the suite needs to run, where it is missing (idempotent):
#
#   secrets.sh DIR OSANCTL
#
#   DIR/tls   a CA (ca.pem, ca-key.pem) and, for catalog, enrollment,
#             credit-record and listing, a certificate NAME.pem with its key
#             NAME-key.pem: common name SVC-<NAME>, valid for the names NAME
#             and localhost and for 127.0.0.1, as server and as client (mTLS)
#   DIR/keys  the token issuer's key pair (token-signing.pem, token-verify.pem),
#             each calling service's (enrollment, credit, listing), made by
#             `OSANCTL keygen`, and page-token.secret (32 random bytes)
#
# tools/dev runs it for development; deploy/compose.yaml runs it once in the
# `secrets` container. For production, issue the certificates from your own
# CA instead (docs/operations.md, "Keys and certificates").
set -euo pipefail

dir=${1:?usage: secrets.sh DIR OSANCTL}
osanctl=${2:?usage: secrets.sh DIR OSANCTL}
tls=$dir/tls
keys=$dir/keys
mkdir -p "$tls" "$keys"
chmod 700 "$tls" "$keys"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

ec=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
if [ ! -f "$tls/ca.pem" ]; then
  say "generating a CA in $tls"
  openssl req -x509 "${ec[@]}" -keyout "$tls/ca-key.pem" -out "$tls/ca.pem" -days 3650 \
    -subj "/CN=Osan Credit Exchange CA" 2>/dev/null
fi
for name in catalog enrollment credit-record listing; do
  if [ -f "$tls/$name.pem" ]; then
    continue
  fi
  extensions=$tls/$name.cnf
  printf 'subjectAltName=DNS:%s,DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n' \
    "$name" >"$extensions"
  upper=$(echo "$name" | tr '[:lower:]' '[:upper:]')
  openssl req "${ec[@]}" -keyout "$tls/$name-key.pem" -out "$tls/$name.csr" \
    -subj "/CN=SVC-$upper" 2>/dev/null
  openssl x509 -req -in "$tls/$name.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca-key.pem" \
    -CAcreateserial -days 825 -out "$tls/$name.pem" -extfile "$extensions" 2>/dev/null
  rm -f "$tls/$name.csr" "$extensions"
done
chmod 600 "$tls"/*-key.pem

# The issuer's key signs institutions' tokens (osanctl token); each service
# that calls another signs its own SERVICE tokens with its own key.
for key in token enrollment credit listing; do
  if [ ! -f "$keys/$key-signing.pem" ]; then
    say "generating the signing key: $key"
    "$osanctl" keygen "$keys" "$key" >/dev/null
  fi
done
if [ ! -f "$keys/page-token.secret" ]; then
  (umask 077 && head -c 32 /dev/urandom >"$keys/page-token.secret")
fi
