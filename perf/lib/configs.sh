#!/usr/bin/env bash
# Writes the peers' configs into WORK: backend.conf and proxy.conf (nginx), haproxy.cfg, meshgate/*.yaml.
# Baselines are perf-anchors §3.4 on our ports, plus the 1000-route and canary listeners.
#   lib/configs.sh WORK BASE_PORT
set -euo pipefail
W="$1"; BASE="$2"
P_BACKEND=$((BASE + 81)); P_V1=$((BASE + 91)); P_V2=$((BASE + 92))
NG=$((BASE + 100)); HA=$((BASE + 200)); MG=$((BASE + 300))
ROUTES=1000

temp_paths() {
  local n="$1"
  cat <<EOF2
  client_body_temp_path $W/tmp/$n-body;
  proxy_temp_path $W/tmp/$n-proxy;
  fastcgi_temp_path $W/tmp/$n-fastcgi;
  uwsgi_temp_path $W/tmp/$n-uwsgi;
  scgi_temp_path $W/tmp/$n-scgi;
EOF2
}

# ---- backend: the origin ("direct"); its stub_status accepts counter proves upstream keep-alive
cat > "$W/backend.conf" <<EOF2
worker_processes 1;
daemon on;
pid $W/backend.pid;
error_log $W/logs/backend-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 65s;
$(temp_paths backend)
  log_format ver '\$server_port';
  server {
    listen 127.0.0.1:$P_BACKEND backlog=4096;
    location = /nginx_status { stub_status; }
    location = /ok   { default_type text/plain; return 200 'ok'; }
    location = /1k   { alias $W/1k.txt;  default_type application/octet-stream; }
    location = /64k  { alias $W/64k.txt; default_type application/octet-stream; }
    location = /post { client_max_body_size 1m; client_body_buffer_size 128k; default_type text/plain; return 200 'ok'; }
    location /       { default_type text/plain; return 200 'ok'; }
  }
  # canary versions: every request is one line in its access log (counted for W6 accuracy)
  server {
    listen 127.0.0.1:$P_V1 backlog=4096;
    access_log $W/logs/v1.log ver;
    location / { default_type text/plain; return 200 'v1'; }
  }
  server {
    listen 127.0.0.1:$P_V2 backlog=4096;
    access_log $W/logs/v2.log ver;
    location / { default_type text/plain; return 200 'v2'; }
  }
}
EOF2

# ---- nginx reverse proxy, upstream keep-alive on
{
cat <<EOF2
worker_processes 1;
daemon on;
pid $W/proxy.pid;
error_log $W/logs/proxy-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 65s;
$(temp_paths proxy)
  upstream backend { server 127.0.0.1:$P_BACKEND; keepalive 128; keepalive_requests 1000000; keepalive_timeout 60s; }
  upstream v1 { server 127.0.0.1:$P_V1; keepalive 64; keepalive_requests 1000000; keepalive_timeout 60s; }
  upstream v2 { server 127.0.0.1:$P_V2; keepalive 64; keepalive_requests 1000000; keepalive_timeout 60s; }
  split_clients "\${request_id}" \$canary { 90% v1; * v2; }
  proxy_http_version 1.1;          # required for upstream keep-alive
  proxy_set_header Connection "";  # don't forward "close"
  proxy_set_header Host \$host;
  proxy_buffering on;
  proxy_buffer_size 16k;
  proxy_buffers 8 16k;             # 128 KiB: a 64 KiB body never spills to a temp file
  client_max_body_size 1m;
  client_body_buffer_size 128k;    # the 64 KiB POST stays in memory too
  ssl_certificate     $W/cert.pem;
  ssl_certificate_key $W/key.pem;
  ssl_protocols TLSv1.2 TLSv1.3;
  ssl_session_cache shared:SSL:10m;
  server {
    listen 127.0.0.1:$NG backlog=4096;
    listen 127.0.0.1:$((NG + 1)) ssl http2 backlog=4096;
    location / { proxy_pass http://backend; }
  }
  server {
    listen 127.0.0.1:$((NG + 2)) backlog=4096;
EOF2
for ((i = 0; i < ROUTES; i++)); do echo "    location /r$i/ { proxy_pass http://backend; }"; done
cat <<EOF2
    location / { return 404; }
  }
  server {
    listen 127.0.0.1:$((NG + 3)) backlog=4096;
    location / { proxy_pass http://\$canary; }
  }
  server {
    listen 127.0.0.1:$((NG + 4)) backlog=4096;
    location / { proxy_pass http://v1; }
  }
}
EOF2
} > "$W/proxy.conf"

# ---- HAProxy, upstream keep-alive on
{
cat <<EOF2
global
    nbthread 1
    maxconn 8000
    pidfile $W/haproxy.pid
    daemon
defaults
    mode http
    option http-keep-alive
    timeout connect 5s
    timeout client  30s
    timeout server  30s
    timeout http-keep-alive 60s
    http-reuse always
frontend fe
    bind 127.0.0.1:$HA
    bind 127.0.0.1:$((HA + 1)) ssl crt $W/haproxy.pem alpn h2,http/1.1
    default_backend be
frontend routes
    bind 127.0.0.1:$((HA + 2))
EOF2
for ((i = 0; i < ROUTES; i++)); do echo "    use_backend be if { path_beg /r$i/ }"; done
cat <<EOF2
    default_backend none
frontend canary
    bind 127.0.0.1:$((HA + 3))
    default_backend canary
frontend single
    bind 127.0.0.1:$((HA + 4))
    default_backend v1only
backend be
    server b1 127.0.0.1:$P_BACKEND maxconn 1000
backend canary
    balance roundrobin
    server v1 127.0.0.1:$P_V1 weight 90 maxconn 1000
    server v2 127.0.0.1:$P_V2 weight 10 maxconn 1000
backend v1only
    server v1 127.0.0.1:$P_V1 maxconn 1000
backend none
    http-request deny deny_status 404
EOF2
} > "$W/haproxy.cfg"

# ---- Meshgate: plain Istio YAML
gw() { # name port protocol [tls]
  cat <<EOF2
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: $1, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: $2, name: $(echo "$3" | tr 'A-Z' 'a-z')-$2, protocol: $3}
    bind: 127.0.0.1
    hosts: ["*"]
EOF2
  if [ "${4:-}" = tls ]; then
    cat <<EOF2
    tls:
      mode: SIMPLE
      serverCertificate: $W/cert.pem
      privateKey: $W/key.pem
EOF2
  fi
}
se() { # name host port
  cat <<EOF2
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: $1, namespace: istio-system}
spec:
  hosts: [$2]
  location: MESH_EXTERNAL
  ports: [{number: $3, name: http, protocol: HTTP}]
  resolution: STATIC
  endpoints: [{address: 127.0.0.1}]
EOF2
}
{
  gw bench "$MG" HTTP
  se backend backend.bench.local "$P_BACKEND"
  se backend-v1 v1.bench.local "$P_V1"
  se backend-v2 v2.bench.local "$P_V2"
  cat <<EOF2
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: bench, namespace: istio-system}
spec:
  hosts: ["*"]
  gateways: [istio-system/bench, istio-system/bench-tls]
  http:
  - route: [{destination: {host: backend.bench.local, port: {number: $P_BACKEND}}}]
EOF2
} > "$W/meshgate/bench.yaml"
gw bench-tls "$((MG + 1))" HTTPS tls > "$W/meshgate/tls.yaml"
{
  gw bench-routes "$((MG + 2))" HTTP
  cat <<EOF2
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: bench-routes, namespace: istio-system}
spec:
  hosts: ["*"]
  gateways: [istio-system/bench-routes]
  http:
EOF2
  for ((i = 0; i < ROUTES; i++)); do
    echo "  - name: r$i"
    echo "    match: [{uri: {prefix: /r$i/}}]"
    echo "    route: [{destination: {host: backend.bench.local, port: {number: $P_BACKEND}}}]"
  done
} > "$W/meshgate/routes.yaml"
{
  gw bench-canary "$((MG + 3))" HTTP
  cat <<EOF2
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: bench-canary, namespace: istio-system}
spec:
  hosts: ["*"]
  gateways: [istio-system/bench-canary]
  http:
  - route:
    - destination: {host: v1.bench.local, port: {number: $P_V1}}
      weight: 90
    - destination: {host: v2.bench.local, port: {number: $P_V2}}
      weight: 10
EOF2
} > "$W/meshgate/canary.yaml"
{
  gw bench-single "$((MG + 4))" HTTP
  cat <<EOF2
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: bench-single, namespace: istio-system}
spec:
  hosts: ["*"]
  gateways: [istio-system/bench-single]
  http:
  - route: [{destination: {host: v1.bench.local, port: {number: $P_V1}}}]
EOF2
} > "$W/meshgate/single.yaml"
