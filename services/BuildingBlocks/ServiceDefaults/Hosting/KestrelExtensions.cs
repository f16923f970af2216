using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Egov.Steering.ServiceDefaults.Tls;
using Microsoft.Extensions.Configuration;

namespace Egov.Steering.ServiceDefaults.Hosting;

public static class KestrelExtensions
{
    /// <summary>Port of the endpoint that serves gRPC: HTTP/2 cleartext (h2c), or TLS when <c>Tls</c> names a certificate. Default 8080.</summary>
    public const string GrpcPortKey = "Hosting:GrpcPort";

    /// <summary>Port of the HTTP/1.1 endpoint for /healthz, /readyz (Kubernetes httpGet probes). Default 8081.</summary>
    public const string HttpPortKey = "Hosting:HttpPort";

    /// <summary>Silence on an HTTP/2 connection after which the server pings the client. Default 30 s.</summary>
    public const string KeepAlivePingDelayKey = "Hosting:KeepAlivePingDelay";

    /// <summary>How long an unanswered ping waits before the connection and its calls are closed. Default 20 s.</summary>
    public const string KeepAlivePingTimeoutKey = "Hosting:KeepAlivePingTimeout";

    /// <summary>
    /// Two endpoints on all interfaces: gRPC needs HTTP/2, and without TLS Kestrel cannot offer HTTP/1.1 and HTTP/2
    /// on one port (there is no ALPN to choose), while probes and curl speak HTTP/1.1. A <c>Kestrel:Endpoints</c>
    /// section in configuration replaces both, for operators who want other addresses. With a <c>Tls</c> certificate the
    /// gRPC port speaks TLS only (HTTP/2 and HTTP/1.1 by ALPN); the HTTP port stays plain text inside the pod (probes, metrics).
    /// </summary>
    public static WebApplicationBuilder ConfigureServiceKestrel(this WebApplicationBuilder builder)
    {
        // A client that vanished without closing (a dead NAT entry, a powered-off laptop) would keep its streams and
        // their buffers until a write failed: HTTP/2 pings find it within delay + timeout.
        var pingDelay = builder.Configuration.GetValue(KeepAlivePingDelayKey, TimeSpan.FromSeconds(30));
        var pingTimeout = builder.Configuration.GetValue(KeepAlivePingTimeoutKey, TimeSpan.FromSeconds(20));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.Http2.KeepAlivePingDelay = pingDelay;
            kestrel.Limits.Http2.KeepAlivePingTimeout = pingTimeout;
        });
        if (builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            return builder;
        }

        var grpcPort = builder.Configuration.GetValue(GrpcPortKey, 8080);
        var httpPort = builder.Configuration.GetValue(HttpPortKey, 8081);
        var tls = builder.GetTlsOptions();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenAnyIP(grpcPort, listen =>
            {
                if (tls.Enabled)
                {
                    listen.UseServiceTls(tls); // the port other pods and the Ingress reach
                }
                else
                {
                    listen.Protocols = HttpProtocols.Http2;
                }
            });
            kestrel.ListenAnyIP(httpPort, listen => listen.Protocols = HttpProtocols.Http1);
        });
        return builder;
    }
}
