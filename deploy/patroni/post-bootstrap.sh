#!/bin/sh
# Run once by Patroni on the node that bootstraps the cluster, with its
# superuser connection string as $1: the services' role and their databases
# (each service applies its own migrations when it starts).
set -eu
psql "$1" -v ON_ERROR_STOP=1 -v password="$OSAN_DB_PASSWORD" <<'SQL'
CREATE ROLE osan LOGIN PASSWORD :'password';
CREATE DATABASE osan_catalog OWNER osan;
CREATE DATABASE osan_enrollment OWNER osan;
CREATE DATABASE osan_credit OWNER osan;
SQL
